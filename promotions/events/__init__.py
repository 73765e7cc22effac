"""The support programme (« programme d'accompagnement »): events, invitations, attendance."""
