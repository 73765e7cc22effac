"""Call for projects: administrations propose défis, a jury scores them, coordinators select."""
