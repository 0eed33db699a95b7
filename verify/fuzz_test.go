package verify_test

import (
	"testing"
	"time"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/testvectors"
	"github.com/offcode/offcode/verify"
)

// FuzzVerify runs the whole verification path, text to verdict, against a
// trust store holding every key of every test vector, at a fuzzed clock.
// Verify must not panic, every error must have a verdict, and a code found
// valid must decode and re-encode to itself and be inside its window.
func FuzzVerify(f *testing.F) {
	vs := testvectors.Load(f)
	trust := verify.NewTrustStore()
	for _, v := range vs {
		ts, err := verify.ParseJWKSet(v.Trust)
		if err != nil {
			f.Fatalf("vector %s: ParseJWKSet = %v", v.Name, err)
		}
		for _, k := range ts.Keys() {
			if err := trust.Add(k); err != nil {
				f.Fatalf("vector %s: Add = %v", v.Name, err)
			}
		}
		f.Add(v.Text, v.NowUnix)
	}
	if trust.Len() == 0 {
		f.Fatalf("the vectors hold no keys")
	}
	v := verify.New(trust)
	f.Fuzz(func(t *testing.T, text string, now int64) {
		clock := time.Unix(now, 0)
		r, err := v.Verify(text, clock)
		if r == nil {
			t.Fatalf("Verify(%q, %d) returned a nil Result", text, now)
		}
		verdict := verify.VerdictOf(err)
		if err != nil && !verify.HasVerdict(err) {
			t.Fatalf("Verify(%q, %d) = %v, which has no verdict of its own", text, now, err)
		}
		if r.Verdict != verdict {
			t.Fatalf("Verify(%q, %d): Result.Verdict %q, VerdictOf(err) %q", text, now, r.Verdict, verdict)
		}
		if verdict != verify.Valid {
			return
		}
		c, err := codec.Decode(text)
		if err != nil {
			t.Fatalf("Verify(%q, %d) = valid but Decode = %v", text, now, err)
		}
		if got := codec.Encode(codec.MarshalMessage(&c.Message)); got != text {
			t.Fatalf("Verify(%q) = valid but it re-encodes as %q", text, got)
		}
		if r.Key == nil || r.Code == nil || r.Key.KeyID != c.KeyID {
			t.Fatalf("Verify(%q, %d) = valid with Result %+v", text, now, r)
		}
		iat, exp := c.Claims.IssuedAt.Unix(), c.Claims.ExpiresAt.Unix()
		if iat-int64(verify.DefaultSkew/time.Second) > now || now > exp || exp-iat > 604800 {
			t.Fatalf("Verify(%q, %d) = valid outside the window %d..%d", text, now, iat, exp)
		}
	})
}
