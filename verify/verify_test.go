package verify

import (
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/internal/format"
)

func TestVerifyValid(t *testing.T) {
	k := seedKey(1)
	c := fixtureClaims(t)
	text, err := k.Issue(&c)
	if err != nil {
		t.Fatal(err)
	}
	v := New(storeOf(t, seedKey(2), k))
	if v.Skew != defaultSkew || defaultSkew != 5*time.Minute {
		t.Fatalf("New().Skew = %v, want %v", v.Skew, 5*time.Minute)
	}
	r, err := v.Verify(text, t0.Add(time.Hour))
	if err != nil {
		t.Fatalf("Verify(fixture) = %v, want nil", err)
	}
	if r.Code == nil || r.Code.Claims != c || r.Key == nil || !r.Key.Equal(k.Public()) {
		t.Fatalf("Verify(fixture) = %+v, want claims %+v and key %x", r, c, k.KeyID())
	}
	if err := MatchID(r.Code, testID(t)); err != nil {
		t.Fatalf("MatchID(fixture, right ID) = %v, want nil", err)
	}
}

func TestVerifyVerdicts(t *testing.T) {
	k := seedKey(1)
	c := fixtureClaims(t)
	good, err := k.Issue(&c)
	if err != nil {
		t.Fatal(err)
	}
	long := c
	long.ExpiresAt = long.IssuedAt.Add(week + time.Second)
	tests := []struct {
		name  string
		text  string
		trust *TrustStore
		now   time.Time
		want  error
	}{
		{"valid", good, storeOf(t, k), t0, nil},
		{"empty store", good, newTrustStore(), t0, errUnknownKey},
		{"other key only", good, storeOf(t, seedKey(2)), t0, errUnknownKey},
		{"bad prefix", "HC1:" + good[4:], storeOf(t, k), t0, format.ErrPrefix},
		{"expired", good, storeOf(t, k), t0.Add(week + time.Second), errExpired},
		{"not yet valid", good, storeOf(t, k), t0.Add(-defaultSkew - time.Second), errNotYetValid},
		{"window too long", signClaims(t, 1, long), storeOf(t, k), t0, errWindowTooLong},
		{"signed by another key under this kid", good, func() *TrustStore {
			ts := newTrustStore()
			ts.add(trustedKey{KeyID: k.KeyID(), Public: seedKey(2).Public()})
			return ts
		}(), t0, errBadSignature},
		{"payload changed", reencode(t, good, func(m *codec.Code) {
			d := fixtureClaims(t)
			d.Colour = codec.Red
			m.Payload, _ = codec.MarshalClaims(&d)
		}), storeOf(t, k), t0, errBadSignature},
		{"signature bit flipped", reencode(t, good, func(m *codec.Code) { m.Signature[5] ^= 1 }), storeOf(t, k), t0, errBadSignature},
		{"S + L", reencode(t, good, func(m *codec.Code) {
			s := new(big.Int).SetBytes(reverse(m.Signature[32:]))
			l := new(big.Int).SetBytes(reverse(orderL[:]))
			copy(m.Signature[32:], reverse(s.Add(s, l).FillBytes(make([]byte, 32))))
		}), storeOf(t, k), t0, errNonCanonicalSignature},
		{"S = L", reencode(t, good, func(m *codec.Code) { copy(m.Signature[32:], orderL[:]) }), storeOf(t, k), t0, errNonCanonicalSignature},
		{"S all ones", reencode(t, good, func(m *codec.Code) { copy(m.Signature[32:], strings.Repeat("\xff", 32)) }), storeOf(t, k), t0, errNonCanonicalSignature},
	}
	for i := range smallOrder {
		tests = append(tests, struct {
			name  string
			text  string
			trust *TrustStore
			now   time.Time
			want  error
		}{"small-order R " + string(rune('0'+i)), reencode(t, good, func(m *codec.Code) { copy(m.Signature[:32], smallOrder[i][:]) }), storeOf(t, k), t0, errBadSignature})
	}
	for _, tt := range tests {
		r, err := New(tt.trust).Verify(tt.text, tt.now)
		if !errors.Is(err, tt.want) {
			t.Fatalf("Verify(%s) = %v, want %v", tt.name, err, tt.want)
		}
		if r == nil {
			t.Fatalf("Verify(%s) returned a nil Result", tt.name)
		}
		if VerdictOf(err) == "" {
			t.Fatalf("Verify(%s) = %v, which has no verdict", tt.name, err)
		}
		// A code that decodes is in the Result whatever the verdict.
		if _, derr := codec.Decode(tt.text); derr == nil && r.Code == nil {
			t.Fatalf("Verify(%s).Code = nil, want the decoded code", tt.name)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "verify: ") && !strings.HasPrefix(err.Error(), "codec: ") {
			t.Fatalf("Verify(%s) error %q lacks a package prefix", tt.name, err)
		}
	}
}

func reverse(b []byte) []byte {
	out := make([]byte, len(b))
	for i := range b {
		out[len(b)-1-i] = b[i]
	}
	return out
}

func TestVerifyUnknownKeyError(t *testing.T) {
	k := seedKey(1)
	c := fixtureClaims(t)
	text, _ := k.Issue(&c)
	_, err := New(newTrustStore()).Verify(text, t0)
	var ue *unknownKeyError
	if !errors.As(err, &ue) || ue.KeyID != k.KeyID() {
		t.Fatalf("Verify(unknown kid) = %v, want *unknownKeyError{%x}", err, k.KeyID())
	}
	if want := k.KeyID().String(); !strings.Contains(err.Error(), want) {
		t.Fatalf("Verify(unknown kid) error %q does not name kid %s", err, want)
	}
}

// TestSeveralKeysUnderOneKid files keys under one kid, as a trust store may
// when two issuers' kids collide: the verifier tries each.
func TestSeveralKeysUnderOneKid(t *testing.T) {
	k := seedKey(1)
	c := fixtureClaims(t)
	text, _ := k.Issue(&c)
	impostor := seedKey(3)
	store := func(keys ...trustedKey) *TrustStore {
		ts := newTrustStore()
		for _, key := range keys {
			key.KeyID = k.KeyID()
			if err := ts.add(key); err != nil {
				t.Fatal(err)
			}
		}
		return ts
	}
	tests := []struct {
		name string
		ts   *TrustStore
		want error
	}{
		{"right key second", store(trustedKey{Public: impostor.Public()}, trustedKey{Public: k.Public()}), nil},
		{"right key first", store(trustedKey{Public: k.Public()}, trustedKey{Public: impostor.Public()}), nil},
		{"right key third", store(trustedKey{Public: impostor.Public()}, trustedKey{Public: seedKey(4).Public()}, trustedKey{Public: k.Public()}), nil},
		{"no right key", store(trustedKey{Public: impostor.Public()}, trustedKey{Public: seedKey(4).Public()}), errBadSignature},
		{"right key out of period, impostor in", store(trustedKey{Public: k.Public(), NotAfter: t0.Add(-time.Second)}, trustedKey{Public: impostor.Public()}), errKeyNotValid},
		{"same key twice, second in period", store(trustedKey{Public: k.Public(), NotAfter: t0.Add(-time.Second), Issuer: "old"}, trustedKey{Public: k.Public(), NotBefore: t0, Issuer: "new"}), nil},
	}
	for _, tt := range tests {
		r, err := New(tt.ts).Verify(text, t0)
		if !errors.Is(err, tt.want) {
			t.Fatalf("Verify(%s) = %v, want %v", tt.name, err, tt.want)
		}
		if err == nil && !r.Key.Equal(k.Public()) {
			t.Fatalf("Verify(%s).Key = %x, want %x", tt.name, r.Key, k.Public())
		}
	}
	_, err := New(store(trustedKey{Public: impostor.Public()}, trustedKey{Public: seedKey(4).Public()})).Verify(text, t0)
	if !strings.Contains(err.Error(), "2 keys") {
		t.Fatalf("Verify(no right key of 2) = %q, want it to say how many keys were tried", err)
	}
}

func TestKeyPeriod(t *testing.T) {
	k := seedKey(1)
	c := fixtureClaims(t)
	text, _ := k.Issue(&c)
	iat := c.IssuedAt
	tests := []struct {
		name     string
		nbf, exp time.Time
		want     error
	}{
		{"no bounds", time.Time{}, time.Time{}, nil},
		{"nbf == iat", iat, time.Time{}, nil},
		{"nbf == iat + 1", iat.Add(time.Second), time.Time{}, errKeyNotValid},
		{"exp == iat", time.Time{}, iat, nil},
		{"exp == iat - 1", time.Time{}, iat.Add(-time.Second), errKeyNotValid},
		{"inside", iat.Add(-time.Hour), iat.Add(time.Hour), nil},
		// The period bounds iat only: a key whose period ended after
		// iat still vouches for the code until it expires.
		{"exp between iat and now", time.Time{}, iat.Add(time.Hour), nil},
	}
	for _, tt := range tests {
		ts := newTrustStore()
		if err := ts.add(trustedKey{KeyID: k.KeyID(), Public: k.Public(), NotBefore: tt.nbf, NotAfter: tt.exp}); err != nil {
			t.Fatal(err)
		}
		r, err := New(ts).Verify(text, iat.Add(2*time.Hour))
		if !errors.Is(err, tt.want) {
			t.Fatalf("Verify(key period %s) = %v, want %v", tt.name, err, tt.want)
		}
		if err != nil && r.Key != nil {
			t.Fatalf("Verify(key period %s).Key = %+v, want nil", tt.name, r.Key)
		}
	}
}

func windowCode(iat, exp int64) *codec.Code {
	return &codec.Code{Claims: codec.Claims{IssuedAt: time.Unix(iat, 0).UTC(), ExpiresAt: time.Unix(exp, 0).UTC()}}
}

func TestCheckWindow(t *testing.T) {
	const (
		iat  = 1767254400 // 2026-01-01T08:00:00Z
		w    = 604800
		skew = 300
	)
	at := func(s int64) time.Time { return time.Unix(s, 0) }
	tests := []struct {
		name     string
		iat, exp int64
		now      time.Time
		skew     time.Duration
		want     error
	}{
		{"at iat", iat, iat + w, at(iat), defaultSkew, nil},
		{"at exp", iat, iat + w, at(iat + w), defaultSkew, nil},
		{"at exp + 999 ms", iat, iat + w, at(iat + w).Add(999 * time.Millisecond), defaultSkew, nil},
		{"at exp + 1 s", iat, iat + w, at(iat + w + 1), defaultSkew, errExpired},
		{"long expired", iat, iat + w, at(iat + 100*w), defaultSkew, errExpired},
		{"iat = now + skew", iat, iat + w, at(iat - skew), defaultSkew, nil},
		{"iat = now + skew + 1", iat, iat + w, at(iat - skew - 1), defaultSkew, errNotYetValid},
		{"iat = now + skew + 0.5", iat, iat + w, at(iat - skew - 1).Add(500 * time.Millisecond), defaultSkew, errNotYetValid},
		{"no skew, iat = now", iat, iat + w, at(iat), 0, nil},
		{"no skew, iat = now + 1", iat, iat + w, at(iat - 1), 0, errNotYetValid},
		{"skew 1.9 s counts as 1 s", iat, iat + w, at(iat - 2), 1900 * time.Millisecond, errNotYetValid},
		{"window 1 s", iat, iat + 1, at(iat), defaultSkew, nil},
		{"window exactly 7 d", iat, iat + w, at(iat + 1), defaultSkew, nil},
		{"window 7 d + 1 s", iat, iat + w + 1, at(iat + 1), defaultSkew, errWindowTooLong},
		{"window too long and expired", iat, iat + w + 1, at(iat + 2*w), defaultSkew, errWindowTooLong},
		{"window too long and not yet valid", iat, iat + w + 1, at(iat - 2*w), defaultSkew, errWindowTooLong},
		{"not yet valid before expired", iat, iat + w, at(iat - skew - 1), defaultSkew, errNotYetValid},
		{"now in another zone", iat, iat + w, at(iat + w).In(identity.Beijing()), defaultSkew, nil},
	}
	for _, tt := range tests {
		err := checkWindow(windowCode(tt.iat, tt.exp), tt.now, tt.skew)
		if !errors.Is(err, tt.want) {
			t.Fatalf("checkWindow(%s) = %v, want %v", tt.name, err, tt.want)
		}
		if err == nil {
			continue
		}
		var we *windowError
		if !errors.As(err, &we) || we.Err != tt.want || we.IssuedAt.Unix() != tt.iat || we.ExpiresAt.Unix() != tt.exp || we.Now.Unix() != tt.now.Unix() {
			t.Fatalf("checkWindow(%s) = %#v, want a *windowError with the times", tt.name, err)
		}
	}
}

func TestWindowErrorMessages(t *testing.T) {
	c := windowCode(1767254400, 1767254400+604800)
	tests := []struct {
		now  time.Time
		want string
	}{
		{time.Unix(1767254400+604800+61, 0), "verify: code expired at 2026-01-08T08:00:00Z, 1m1s ago"},
		{time.Unix(1767254400-3600, 0), "verify: code is issued at 2026-01-01T08:00:00Z, 1h0m0s in the future"},
	}
	for _, tt := range tests {
		if err := checkWindow(c, tt.now, defaultSkew); err == nil || err.Error() != tt.want {
			t.Fatalf("checkWindow(now %v) = %v, want %q", tt.now, err, tt.want)
		}
	}
	err := checkWindow(windowCode(1767254400, 1767254400+604801), time.Unix(1767254400, 0), defaultSkew)
	if want := "verify: validity window 2026-01-01T08:00:00Z to 2026-01-08T08:00:01Z is 168h0m1s, longer than 7 days"; err == nil || err.Error() != want {
		t.Fatalf("checkWindow(window too long) = %v, want %q", err, want)
	}
}

func TestMatchID(t *testing.T) {
	k := seedKey(1)
	c := fixtureClaims(t)
	text, _ := k.Issue(&c)
	code, err := codec.Decode(text)
	if err != nil {
		t.Fatal(err)
	}
	other, err := identity.ParseID("440304198001011239", t0)
	if err != nil {
		t.Fatal(err)
	}
	if err := MatchID(code, testID(t)); err != nil {
		t.Fatalf("MatchID(right ID) = %v, want nil", err)
	}
	if err := MatchID(code, other); !errors.Is(err, errIDMismatch) || VerdictOf(err) != IDMismatch {
		t.Fatalf("MatchID(other ID) = %v, want %v", err, errIDMismatch)
	}
	code.Claims.Identity.Version = 1
	if err := MatchID(code, testID(t)); !errors.Is(err, format.ErrHashVersion) || VerdictOf(err) != BadClaim {
		t.Fatalf("MatchID(version 1) = %v, want %v", err, format.ErrHashVersion)
	}
}

// TestVerifyChangedCharacter changes every seventh character of a valid
// code to each other Base45 character: no change may leave it valid.
func TestVerifyChangedCharacter(t *testing.T) {
	k := seedKey(1)
	c := fixtureClaims(t)
	text, _ := k.Issue(&c)
	v := New(storeOf(t, k))
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
	n := 0
	for i := len(codec.Prefix); i < len(text); i += 7 {
		for _, ch := range []byte(alphabet) {
			if ch == text[i] {
				continue
			}
			b := []byte(text)
			b[i] = ch
			if _, err := v.Verify(string(b), t0); err == nil {
				t.Fatalf("Verify(code with character %d changed to %q) = nil, want an error", i, ch)
			}
			n++
		}
	}
	if n == 0 {
		t.Fatalf("TestVerifyChangedCharacter tried nothing")
	}
}

// TestCheckWindowExtremeClock checks that a clock at the ends of int64
// seconds gives the right verdict rather than overflowing.
func TestCheckWindowExtremeClock(t *testing.T) {
	c := windowCode(1767254400, 1767254400+604800)
	tests := []struct {
		now  time.Time
		want error
	}{
		{time.Unix(1<<63-1, 0), errExpired},
		{time.Unix(1<<63-100, 0), errExpired},
		{time.Unix(-1<<63, 0), errNotYetValid},
	}
	for _, tt := range tests {
		if err := checkWindow(c, tt.now, defaultSkew); !errors.Is(err, tt.want) {
			t.Fatalf("checkWindow(now %d) = %v, want %v", tt.now.Unix(), err, tt.want)
		}
	}
}
