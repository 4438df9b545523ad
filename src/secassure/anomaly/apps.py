from django.apps import AppConfig


class AnomalyConfig(AppConfig):
    name = "secassure.anomaly"
    label = "anomaly"
    verbose_name = "Anomaly Detection Thresholds"
