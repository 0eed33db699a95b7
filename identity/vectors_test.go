package identity_test

import (
	"errors"
	"testing"

	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/internal/testkit/vectortest"
	"github.com/offcode/offcode/testvectors"
)

// TestIDVectors checks ParseID against every ID number vector (SPEC.md
// §5.1, §10.4): the input error's reason, or the normalised number.
func TestIDVectors(t *testing.T) {
	vs := vectortest.Load[testvectors.IDVector](t)
	reasons := map[string]error{
		"length":      identity.ErrLength,
		"characters":  identity.ErrCharacter,
		"check_digit": identity.ErrCheckDigit,
		"birth_date":  identity.ErrBirthDate,
	}
	for _, v := range vs {
		t.Run(v.Name, func(t *testing.T) {
			id, err := identity.ParseID(v.Input, v.Now)
			if v.Error == "" {
				if err != nil {
					t.Fatalf("ParseID(%s) = %v, want %s", v.Name, err, v.Normalised)
				}
				if got := id.Number(); got != v.Normalised {
					t.Fatalf("ParseID(%s) = %s, want %s", v.Name, got, v.Normalised)
				}
				return
			}
			want, ok := reasons[v.Error]
			if !ok {
				t.Fatalf("vector %s: unknown expected error %q", v.Name, v.Error)
			}
			if !errors.Is(err, want) {
				t.Fatalf("ParseID(%s) = %v, want %v", v.Name, err, want)
			}
		})
	}
}
