"""Questionnaire models (Survey, Question, Choice, Invitation, Response, Answer)."""
