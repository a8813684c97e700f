"""What the cogs show: presenters (embeds, text), persistent buttons and modals."""
