package render

import (
	"errors"
	"fmt"
)

// Errors that callers may test for with errors.Is.
var (
	// ErrNotAlphanumeric is returned for QR text outside the QR
	// alphanumeric set (0-9 A-Z space $ % * + - . / :).
	ErrNotAlphanumeric = errors.New("render: text is not in the QR alphanumeric set")
	// ErrTooLong is returned for QR text that fits no QR version.
	ErrTooLong = errors.New("render: text too long for a QR code")
	// ErrGlyphMissing is wrapped by *GlyphError.
	ErrGlyphMissing = errors.New("render: character not in the sheet font")
	// ErrHolderTooLong is returned for a holder line wider than the sheet.
	ErrHolderTooLong = errors.New("render: holder line too long")
	// ErrClosed is returned by a Batch used after Close.
	ErrClosed = errors.New("render: batch is closed")
)

// GlyphError reports a character of caller-supplied text (a holder line)
// that the embedded font cannot print.
type GlyphError struct {
	Rune rune   // the first missing character
	Text string // the text it occurs in
}

func (e *GlyphError) Error() string {
	return fmt.Sprintf("render: character %q (U+%04X) in %q is not in the sheet font (GB 2312 + ASCII)", e.Rune, e.Rune, e.Text)
}

// Unwrap returns ErrGlyphMissing.
func (e *GlyphError) Unwrap() error { return ErrGlyphMissing }

// ErrHolderShowsID is wrapped by *HolderIDError.
var ErrHolderShowsID = errors.New("render: holder line shows too much of an ID number")

// HolderIDError reports a holder line that shows more than
// MaxHolderIDChars characters of a number such as an ID number. It does
// not hold the line itself, which is personal data.
type HolderIDError struct {
	Shown int // characters of the longest number shown (digits and X, not stars)
}

func (e *HolderIDError) Error() string {
	return fmt.Sprintf("render: holder line shows %d characters of a number; a holder line may show at most the last %d characters of an ID number (mask the rest with *, as in 张*华 **************002X)", e.Shown, MaxHolderIDChars)
}

// Unwrap returns ErrHolderShowsID.
func (e *HolderIDError) Unwrap() error { return ErrHolderShowsID }
