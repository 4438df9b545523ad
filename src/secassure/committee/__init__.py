"""The committees (G7): members and seats, elections, meetings with their agenda, papers,
attendance, conflicts, decisions, actions and minutes, and the publications made from them."""
