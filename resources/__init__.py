"""Icons, sample exports and desktop-entry files shipped with twconv-gui."""
