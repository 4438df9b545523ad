"""Notices: what Section G requires Users and the DCC to tell the Security Sub-Committee (and,
for a Major Security Incident, the Panel) -- incidents, vulnerabilities, new and retired
systems, Shared Resources, CPL entries -- as classified, journaled records with their clocks."""
