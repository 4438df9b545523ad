"""What every anomaly model shares: the counters (G6.3(a)) and the default marking."""
from django.db import models

from secassure.code.classification import Classification
from secassure.registry.models import CLASSIFICATIONS

COUNTERS = [("critical", "Critical Commands and SMETS1 Critical Service Requests (G6.3(a)(i))"),
            ("encrypted", "Service Requests with GBCS-encrypted responses (G6.3(a)(ii))")]



def amber() -> models.CharField:
    """AMBER by default: the register and the desk are the DCC's and the User's business."""
    return models.CharField(max_length=5, choices=CLASSIFICATIONS,
                            default=Classification.AMBER.value)
