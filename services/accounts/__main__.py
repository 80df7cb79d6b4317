from cbkit.serve import serve
from services.accounts.service import build

serve(build())
