from cbkit.serve import serve
from services.outcomes.service import build

serve(build())
