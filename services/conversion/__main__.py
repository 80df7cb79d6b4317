from cbkit.serve import serve
from services.conversion.service import build

serve(build())
