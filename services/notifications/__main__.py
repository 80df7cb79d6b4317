from cbkit.serve import serve
from services.notifications.service import build

serve(build())
