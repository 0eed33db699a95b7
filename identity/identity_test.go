package identity

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// now is the injected current time of these tests: noon Beijing time on
// 15 June 2026.
var now = time.Date(2026, 6, 15, 12, 0, 0, 0, Beijing())

func TestParseIDValid(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"11010519491231002X", "11010519491231002X"},    // check character X
		{"11010519491231002x", "11010519491231002X"},    // lower-case x normalised
		{" 11010519491231002x\n", "11010519491231002X"}, // surrounding space removed
		{"440304198001011239", "440304198001011239"},
		{"610103200002290027", "610103200002290027"}, // 29 Feb of a leap year
		{"110101190001010014", "110101190001010014"}, // 1 Jan 1900, the earliest accepted
		{"610103202606150016", "610103202606150016"}, // born today
	}
	for _, tt := range tests {
		id, err := ParseID(tt.in, now)
		if err != nil {
			t.Fatalf("ParseID(%q) = %v, want %s", tt.in, err, tt.want)
		}
		if got := id.Number(); got != tt.want {
			t.Fatalf("ParseID(%q) = %s, want %s", tt.in, got, tt.want)
		}
		if id.isZero() {
			t.Fatalf("ParseID(%q).isZero() = true, want false", tt.in)
		}
	}
}

func TestParseIDInvalid(t *testing.T) {
	tests := []struct {
		name, in string
		want     error
	}{
		{"empty", "", ErrLength},
		{"17 chars", "11010519491231002", ErrLength},
		{"19 chars", "11010519491231002X0", ErrLength},
		{"15-digit old form", "110105491231002", ErrLength},
		{"inner space", "110105 9491231002X", ErrCharacter},
		{"letter in body", "1101051949123100AX", ErrCharacter},
		{"X not last", "X10105194912310020", ErrCharacter},
		{"bad check char", "11010519491231002Y", ErrCharacter},
		{"non-ASCII byte", "11010519491231002\xff", ErrCharacter},
		{"bad check digit", "110105194912310021", ErrCheckDigit},
		{"X where digit wanted", "44030419800101123X", ErrCheckDigit},
		{"digit where X wanted", "110105194912310020", ErrCheckDigit},
		{"19000229 not a date", "110105190002290017", ErrBirthDate},
		{"20230230 not a date", "110105202302300016", ErrBirthDate},
		{"future birth date", "610103202606160011", ErrBirthDate},
		{"born before 1900", "440524188001010014", ErrBirthDate},
	}
	for _, tt := range tests {
		_, err := ParseID(tt.in, now)
		if !errors.Is(err, tt.want) {
			t.Fatalf("ParseID(%s: %q) = %v, want %v", tt.name, tt.in, err, tt.want)
		}
	}
}

func TestParseIDDetail(t *testing.T) {
	for in, want := range map[string]string{
		"440524188001010014": "birth year is before 1900",
		"110105202302300016": "birth date is not a real date",
		"610103202606160011": "birth date is in the future (China Standard Time)",
	} {
		_, err := ParseID(in, now)
		var ie *idError
		if !errors.As(err, &ie) || ie.detail != want {
			t.Fatalf("ParseID(%q) = %v, want detail %q", in, err, want)
		}
	}
}

// TestParseIDFutureBoundary checks that the birth date is compared with the
// day of now in Beijing time, not in UTC.
func TestParseIDFutureBoundary(t *testing.T) {
	const born = "610103202606160011" // born 16 June 2026
	tests := []struct {
		now  time.Time
		want error
	}{
		{time.Date(2026, 6, 15, 15, 59, 59, 0, time.UTC), ErrBirthDate}, // 15 June 23:59:59 in Beijing
		{time.Date(2026, 6, 15, 16, 0, 0, 0, time.UTC), nil},            // 16 June 00:00 in Beijing
		{time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), nil},
	}
	for _, tt := range tests {
		_, err := ParseID(born, tt.now)
		if !errors.Is(err, tt.want) {
			t.Fatalf("ParseID(%q, %v) = %v, want %v", born, tt.now, err, tt.want)
		}
	}
}

func TestIDErrorHidesNumber(t *testing.T) {
	const in = "110105194912310021"
	_, err := ParseID(in, now)
	if err == nil {
		t.Fatalf("ParseID(%q) = nil, want error", in)
	}
	if msg := err.Error(); strings.Contains(msg, in) {
		t.Fatalf("ParseID(%q) error %q contains the number", in, msg)
	}
}

func mustParse(t *testing.T, s string) ID {
	t.Helper()
	id, err := ParseID(s, now)
	if err != nil {
		t.Fatalf("ParseID(%q) = %v, want nil", s, err)
	}
	return id
}

func TestBeijing(t *testing.T) {
	_, off := time.Date(2026, 1, 1, 0, 0, 0, 0, Beijing()).Zone()
	if off != 8*3600 {
		t.Fatalf("Beijing() offset = %d, want %d", off, 8*3600)
	}
	_, off = time.Date(2026, 7, 1, 0, 0, 0, 0, Beijing()).Zone()
	if off != 8*3600 {
		t.Fatalf("Beijing() summer offset = %d, want %d", off, 8*3600)
	}
}

// TestIDDoesNotPrint checks that an ID printed or logged by mistake is
// masked, and that only Number gives the number (SPEC.md §5.1).
func TestIDDoesNotPrint(t *testing.T) {
	id, err := ParseID("110105198503071230", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("check", "id", id)
	for _, s := range []string{fmt.Sprint(id), fmt.Sprintf("%v %s %+v %#v", id, id, id, id), logged.String()} {
		if strings.Contains(s, "19850307") || strings.Contains(s, "110105") {
			t.Errorf("printed ID %q discloses the number", s)
		}
	}
	if got := id.String(); got != "**************1230" {
		t.Errorf("String() = %q, want **************1230", got)
	}
	if got := id.Number(); got != "110105198503071230" {
		t.Errorf("Number() = %q", got)
	}
	// An error about the birth date does not repeat it.
	for _, first := range []string{"11010520270101000", "11010518991231000", "11010519730229000"} {
		sum := 0
		for i, w := range weights {
			sum += int(first[i]-'0') * w
		}
		in := first + string(checkChars[sum%11])
		_, err := ParseID(in, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
		if !errors.Is(err, ErrBirthDate) {
			t.Errorf("ParseID(birth date %s) = %v, want ErrBirthDate", in[6:14], err)
		}
		if err != nil && (strings.Contains(err.Error(), in[6:14]) || strings.Contains(err.Error(), in[6:10])) {
			t.Errorf("ParseID error %q repeats the birth date", err)
		}
	}
}
