from cbkit.serve import serve
from services.certification.service import build

serve(build())
