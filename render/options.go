package render

// Options are the choices for a printed sheet, a phone card or a batch
// card. The zero value (or nil) is no holder line and a level Q symbol.
type Options struct {
	// Holder is an optional line naming the holder, such as a masked name
	// and ID number ("张*华 **************123X"). It is not part of the
	// signed code, and the sheet or card says so. It must pass
	// CheckHolder: every character in the embedded font (GB 2312 and
	// ASCII), not too wide, and showing at most the last 4 characters of
	// an ID number.
	Holder string
	// Level is the QR error correction level.
	Level Level
}
