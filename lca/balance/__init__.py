"""From Brightway's numbers to the study's results: per-exchange contributions grouped by stage,
phase, tier and activity, the net balance, the datasets table, data-gap findings and raw materials
in years of world production."""
