package verify

import (
	"errors"
	"fmt"
	"testing"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/format"
	"github.com/offcode/offcode/internal/jwkset"
)

func TestVerdictOf(t *testing.T) {
	tests := []struct {
		err  error
		want Verdict
	}{
		{nil, Valid},
		{format.ErrTooLarge, TooLarge},
		{format.ErrPrefix, BadPrefix},
		{format.ErrBase45, BadBase45},
		{format.ErrMalformed, Malformed},
		{format.ErrSignatureSize, Malformed},
		{format.ErrTrailingBytes, TrailingBytes},
		{format.ErrIndefinite, IndefiniteLength},
		{format.ErrDuplicateKey, DuplicateKey},
		{format.ErrNonCanonical, NonCanonicalCBOR},
		{format.ErrTag, BadTag},
		{format.ErrAlgorithm, UnsupportedAlg},
		{format.ErrMissingKeyID, MissingKid},
		{format.ErrHeader, BadHeader},
		{format.ErrMissingClaim, MissingClaim},
		{format.ErrUnknownClaim, UnknownClaim},
		{format.ErrClaim, BadClaim},
		{format.ErrHashVersion, BadClaim},
		{errUnknownKey, UnknownKid},
		{&unknownKeyError{KeyID: codec.KeyID{1}}, UnknownKid},
		{errNonCanonicalSignature, NonCanonicalSignature},
		{errBadSignature, BadSignature},
		{errKeyRevoked, KeyRevoked},
		{errKeyNotValid, KeyNotValid},
		{errKindNotAllowed, KindNotAllowed},
		{errWindowTooLong, WindowTooLong},
		{&windowError{Err: errWindowTooLong}, WindowTooLong},
		{errNotYetValid, NotYetValid},
		{&windowError{Err: errNotYetValid}, NotYetValid},
		{errExpired, Expired},
		{&windowError{Err: errExpired}, Expired},
		{errRevoked, Revoked},
		{&identityRevokedError{}, IdentityRevoked},
		{&staleError{}, StaleTrust},
		{errIDMismatch, IDMismatch},
		// Total: an error that is no verdict's is Malformed, never Valid.
		{jwkset.ErrInvalid, Malformed},
		{errors.New("something else"), Malformed},
	}
	for _, tt := range tests {
		if got := VerdictOf(tt.err); got != tt.want {
			t.Fatalf("VerdictOf(%v) = %q, want %q", tt.err, got, tt.want)
		}
		if tt.err == nil {
			continue
		}
		wrapped := fmt.Errorf("context: %w", tt.err)
		if got := VerdictOf(wrapped); got != tt.want {
			t.Fatalf("VerdictOf(%v) = %q, want %q", wrapped, got, tt.want)
		}
		// As Verify returns it: the verdict is an errors.Is target, the
		// cause is kept, the message is the cause's, and no other verdict
		// matches.
		carried := withVerdict(tt.err)
		if !errors.Is(carried, tt.want) || !errors.Is(carried, tt.err) || carried.Error() != tt.err.Error() {
			t.Fatalf("withVerdict(%v) = %v: errors.Is %q %v, errors.Is cause %v", tt.err, carried, tt.want,
				errors.Is(carried, tt.want), errors.Is(carried, tt.err))
		}
		for _, other := range allVerdicts() {
			if other != tt.want && errors.Is(carried, other) {
				t.Fatalf("errors.Is(withVerdict(%v), %q) = true, want only %q", tt.err, other, tt.want)
			}
		}
		if got := VerdictOf(fmt.Errorf("context: %w", carried)); got != tt.want {
			t.Fatalf("VerdictOf(wrapped withVerdict(%v)) = %q, want %q", tt.err, got, tt.want)
		}
	}
	// A Verdict wrapped by a caller is its own verdict.
	if got := VerdictOf(fmt.Errorf("line too long: %w", TooLarge)); got != TooLarge {
		t.Fatalf("VerdictOf(wrapping TooLarge) = %q, want %q", got, TooLarge)
	}
	if got := VerdictOf(fmt.Errorf("odd: %w", Valid)); got != Malformed {
		t.Fatalf("VerdictOf(wrapping Valid) = %q, want %q: an error is never valid", got, Malformed)
	}
}

func TestVerdicts(t *testing.T) {
	all := Verdicts()
	want := []Verdict{
		Valid, TooLarge, BadPrefix, BadBase45, Malformed, TrailingBytes, IndefiniteLength,
		DuplicateKey, NonCanonicalCBOR, BadTag, UnsupportedAlg, MissingKid, BadHeader,
		MissingClaim, UnknownClaim, BadClaim, UnknownKid, NonCanonicalSignature,
		BadSignature, KeyRevoked, KeyNotValid, KindNotAllowed, WindowTooLong, NotYetValid,
		Expired, Revoked, IdentityRevoked, StaleTrust, IDMismatch,
	}
	if len(all) != len(want) {
		t.Fatalf("Verdicts() = %d verdicts %v, want %d", len(all), all, len(want))
	}
	seen := map[Verdict]bool{}
	for i, v := range all {
		if seen[v] {
			t.Fatalf("Verdicts() has %q twice", v)
		}
		seen[v] = true
		if v != want[i] {
			t.Fatalf("Verdicts()[%d] = %q, want %q", i, v, want[i])
		}
	}
	// Every verdict other than Valid comes from some error.
	for _, v := range all[1:] {
		found := false
		for _, e := range verdicts {
			found = found || VerdictOf(e.err) == v
		}
		if !found {
			t.Fatalf("no error has verdict %q", v)
		}
	}
}
