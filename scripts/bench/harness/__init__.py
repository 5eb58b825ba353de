"""What every phase of the bench shares: settings, PostgreSQL, the simulator, timed commands."""
