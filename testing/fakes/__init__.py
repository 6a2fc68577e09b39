"""Local fakes of the external APIs the platform calls, speaking their documented shapes."""
