"""Rules shared by every app of the portal (access, limits of user input, …)."""
