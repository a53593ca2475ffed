"""Print: the HTML of the compendium PDFs and onboarding packs, and its rendering to PDF."""
