"""REST API of the register (serializers and views in `views`, routes in `urls`)."""
