package render

import "fmt"

// Test hooks: names the API keeps unexported, for the tests of packages
// render and render_test.

const (
	QuietZone        = quietZone
	BatchColumns     = batchColumns
	BatchRows        = batchRows
	CardWidth        = cardPixelsW
	CardHeight       = cardPixelsH
	MaxHolderIDChars = maxHolderIDChars
)

var (
	ErrNotAlphanumeric = errNotAlphanumeric
	ErrTooLong         = errTooLong
	ErrGlyphMissing    = errGlyphMissing
	ErrHolderTooLong   = errHolderTooLong
	ErrClosed          = errClosed
	CheckHolderPrivacy = checkHolderPrivacy
	CardImage          = cardImage
)

type (
	GlyphError    = glyphError
	HolderIDError = holderIDError
	SheetOptions  = Options
	CardOptions   = Options
)

var levelNames = [...]string{"Q", "L", "M", "H"}

// String returns "L", "M", "Q" or "H".
func (l Level) String() string {
	if l >= 0 && int(l) < len(levelNames) {
		return levelNames[l]
	}
	return fmt.Sprintf("Level(%d)", int(l))
}

// ParseLevel parses "L", "M", "Q" or "H".
func ParseLevel(s string) (Level, error) {
	for i, n := range levelNames {
		if s == n {
			return Level(i), nil
		}
	}
	return 0, fmt.Errorf("render: unknown error correction level %q", s)
}

// Size returns the number of modules on a side, without the quiet zone.
func (q *QR) Size() int { return q.size }

// Version returns the QR version, 1 to 40.
func (q *QR) Version() int { return q.version }

// Level returns the error correction level.
func (q *QR) Level() Level { return q.level }

// Dark reports whether the module at column x, row y is dark. Modules
// outside the symbol (in the quiet zone or beyond) are light.
func (q *QR) Dark(x, y int) bool {
	if x < 0 || y < 0 || x >= q.size || y >= q.size {
		return false
	}
	return q.dark.get(x, y)
}

// CheckText reports whether the font can print every character of s.
func CheckText(s string) error {
	fi, err := loadFont()
	if err != nil {
		return err
	}
	return fi.checkText(s)
}

// CheckCard reports whether a batch card can be made for text and holder.
func CheckCard(text, holder string) error {
	_, err := NewCard(text, &Options{Holder: holder})
	return err
}

// Count returns the number of codes added.
func (b *Batch) Count() int { return b.count }

// AddText prepares a card for text and holder at level l and adds it.
// it.
func (b *Batch) AddText(text, holder string, l Level) error {
	c, err := NewCard(text, &Options{Holder: holder, Level: l})
	if err != nil {
		return err
	}
	return b.Add(c)
}
