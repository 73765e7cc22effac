"""Common ground shared by every workflow (emails, spreadsheet cells, markdown, search,
deadlines, scoring, shares, admin and API bases). It imports no app."""
