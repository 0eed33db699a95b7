package render

import (
	"errors"
	"fmt"
)

// Errors of the package, wrapped with detail.
var (
	// errNotAlphanumeric is returned for QR text outside the QR
	// alphanumeric set (0-9 A-Z space $ % * + - . / :).
	errNotAlphanumeric = errors.New("render: text is not in the QR alphanumeric set")
	// errTooLong is returned for QR text that fits no QR version.
	errTooLong = errors.New("render: text too long for a QR code")
	// errGlyphMissing is wrapped by *glyphError.
	errGlyphMissing = errors.New("render: character not in the sheet font")
	// errHolderTooLong is returned for a holder line wider than the sheet.
	errHolderTooLong = errors.New("render: holder line too long")
	// errClosed is returned by a Batch used after Close.
	errClosed = errors.New("render: batch is closed")
)

// glyphError reports a character of caller-supplied text (a holder line)
// that the embedded font cannot print.
type glyphError struct {
	Rune rune   // the first missing character
	Text string // the text it occurs in
}

func (e *glyphError) Error() string {
	return fmt.Sprintf("render: character %q (U+%04X) in %q is not in the sheet font (GB 2312 + ASCII)", e.Rune, e.Rune, e.Text)
}

// Unwrap returns errGlyphMissing.
func (e *glyphError) Unwrap() error { return errGlyphMissing }

// ErrHolderShowsID is wrapped by the error CheckHolder (and every writer)
// returns for a holder line that shows more than the last 4 characters of
// an ID number.
var ErrHolderShowsID = errors.New("render: holder line shows too much of an ID number")

// holderIDError reports a holder line that shows more than
// maxHolderIDChars characters of a number such as an ID number. It does
// not hold the line itself, which is personal data.
type holderIDError struct {
	Shown int // characters of the longest number shown (digits and X, not stars)
}

func (e *holderIDError) Error() string {
	return fmt.Sprintf("render: holder line shows %d characters of a number; a holder line may show at most the last %d characters of an ID number (mask the rest with *, as in 张*华 **************002X)", e.Shown, maxHolderIDChars)
}

// Unwrap returns ErrHolderShowsID.
func (e *holderIDError) Unwrap() error { return ErrHolderShowsID }
