"""From the phases' raw figures to the bench's results: derived figures, targets, the printed table."""
