// Package identity handles resident identity numbers (公民身份号码, GB 11643-1999)
// and the salted identity hash that an offline code carries in their place,
// as specified in SPEC.md §5.
//
// A code never carries a raw ID number. It carries a [Hash]: Argon2id over the
// normalised 18-character number with a 16-byte salt. A checkpoint that is
// shown an ID card recomputes the hash with [Hash.Matches].
package identity

import (
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// idLength is the length of a normalised resident ID number.
const idLength = 18

// ID is a validated, normalised 18-character resident ID number: 17 digits
// followed by a check digit 0-9 or X (upper case). The zero ID is invalid.
type ID struct {
	s string
}

// weights are the GB 11643-1999 ISO 7064 MOD 11-2 weights for positions 1..17.
var weights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// checkChars maps (sum mod 11) to the check character.
const checkChars = "10X98765432"

// ParseID validates s as an 18-character resident ID number and returns it
// normalised. Surrounding white space is removed and a lower-case check
// character x is upper-cased; nothing else is changed. now is the current
// time, used to reject a birth date in the future (dates are compared in
// Beijing time, UTC+8).
//
// The error wraps one of ErrLength, ErrCharacter, ErrCheckDigit and
// ErrBirthDate, for errors.Is; its message says what is wrong without
// repeating the number.
func ParseID(s string, now time.Time) (ID, error) {
	s = strings.TrimSpace(s)
	if n := len(s); n != idLength {
		return ID{}, &idError{reason: ErrLength, detail: fmt.Sprintf("has %d characters, want %d", n, idLength)}
	}
	b := []byte(s)
	if b[17] == 'x' {
		b[17] = 'X'
	}
	for i := 0; i < 17; i++ {
		if b[i] < '0' || b[i] > '9' {
			return ID{}, &idError{reason: ErrCharacter, detail: fmt.Sprintf("character %d is %q, want a digit", i+1, b[i])}
		}
	}
	if c := b[17]; (c < '0' || c > '9') && c != 'X' {
		return ID{}, &idError{reason: ErrCharacter, detail: fmt.Sprintf("character 18 is %q, want a digit or X", c)}
	}
	sum := 0
	for i, w := range weights {
		sum += int(b[i]-'0') * w
	}
	if want := checkChars[sum%11]; b[17] != want {
		return ID{}, &idError{reason: ErrCheckDigit, detail: fmt.Sprintf("check digit is %c, want %c", b[17], want)}
	}
	y := atoi(b[6:10])
	m := atoi(b[10:12])
	d := atoi(b[12:14])
	birth := time.Date(y, time.Month(m), d, 0, 0, 0, 0, beijing)
	if y < 1900 {
		return ID{}, &idError{reason: ErrBirthDate, detail: "birth year is before 1900"}
	}
	if m < 1 || m > 12 || d < 1 || birth.Day() != d || birth.Month() != time.Month(m) {
		return ID{}, &idError{reason: ErrBirthDate, detail: "birth date is not a real date"}
	}
	today := now.In(beijing)
	if birth.After(time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, beijing)) {
		return ID{}, &idError{reason: ErrBirthDate, detail: "birth date is in the future (China Standard Time)"}
	}
	return ID{s: string(b)}, nil
}

// beijing is China Standard Time, a fixed UTC+8 zone with no daylight saving,
// so no tzdata is needed.
var beijing = time.FixedZone("CST", 8*60*60)

// Beijing returns China Standard Time (UTC+8), the zone in which birth dates
// and ages are reckoned.
func Beijing() *time.Location { return beijing }

func atoi(b []byte) int {
	n := 0
	for _, c := range b {
		n = n*10 + int(c-'0')
	}
	return n
}

// Number returns the normalised 18-character number. It is personal data:
// callers must not log it, put it in a URL or an error message (SPEC.md
// §5.1). String and LogValue mask it; this is the one explicit way to get it.
func (id ID) Number() string { return id.s }

// String returns the number with all but its last 4 characters replaced by
// '*', so that an ID printed by mistake (fmt, an error) does not disclose
// it. Use Number for the number itself.
func (id ID) String() string {
	if id.s == "" {
		return ""
	}
	return strings.Repeat("*", idLength-4) + id.s[idLength-4:]
}

// LogValue implements slog.LogValuer: an ID in a log record is masked as
// String masks it.
func (id ID) LogValue() slog.Value { return slog.StringValue(id.String()) }

// GoString implements fmt.GoStringer, so that %#v is masked too.
func (id ID) GoString() string { return "identity.ID(" + id.String() + ")" }

// isZero reports whether id is the zero ID, which no successful ParseID returns.
func (id ID) isZero() bool { return id.s == "" }
