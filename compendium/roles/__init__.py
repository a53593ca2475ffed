"""Roles and duties: role mentions linked in article text, duty listings and summaries,
the duty matrix and the organisation chart."""
