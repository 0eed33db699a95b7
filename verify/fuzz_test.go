package verify_test

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"github.com/offcode/offcode/bundle"
	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/format"
	"github.com/offcode/offcode/internal/jwkset"
	"github.com/offcode/offcode/internal/testkit/bundletest"
	"github.com/offcode/offcode/internal/testkit/vectortest"
	"github.com/offcode/offcode/testvectors"
	"github.com/offcode/offcode/verify"
)

// FuzzVerify runs the whole verification path, text to verdict, against a
// trust store holding every key of every test vector, at a fuzzed clock.
// Verify must not panic, every error must have a verdict, and a code found
// valid must decode and re-encode to itself and be inside its window.
func FuzzVerify(f *testing.F) {
	vs := vectortest.Load[testvectors.Vector](f)
	var keys []jwkset.Key
	for _, v := range vs {
		ks, err := jwkset.Parse(v.Trust)
		if err != nil {
			f.Fatalf("vector %s: jwkset.Parse = %v", v.Name, err)
		}
		keys = append(keys, ks...)
		f.Add(v.Text, v.Now.Unix())
	}
	if len(keys) == 0 {
		f.Fatalf("the vectors hold no keys")
	}
	set, err := jwkset.Marshal(keys)
	if err != nil {
		f.Fatal(err)
	}
	trust, err := verify.ParseJWKSet(set)
	if err != nil {
		f.Fatal(err)
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
		if got := format.EncodeText(codec.Prefix, format.AppendMessage(nil, c.Protected, c.Payload, c.Signature)); got != text {
			t.Fatalf("Verify(%q) = valid but it re-encodes as %q", text, got)
		}
		if r.Key == nil || r.Code == nil || r.Code.KeyID != c.KeyID {
			t.Fatalf("Verify(%q, %d) = valid with Result %+v", text, now, r)
		}
		iat, exp := c.Claims.IssuedAt.Unix(), c.Claims.ExpiresAt.Unix()
		if iat-int64(verify.New(nil).Skew/time.Second) > now || now > exp || exp-iat > 604800 {
			t.Fatalf("Verify(%q, %d) = valid outside the window %d..%d", text, now, iat, exp)
		}
	})
}

// FuzzVerifyBundle runs the device path: the same inputs under a bundle
// holding every representable key of the vectors, one of them compromised
// and another allowed personal codes only, with revoked serials.
// Verify must not panic, every error must have a verdict, and a code found
// valid must not be revoked.
func FuzzVerifyBundle(f *testing.F) {
	vs := vectortest.Load[testvectors.Vector](f)
	b := &bundle.Bundle{Sequence: 1, IssuedAt: time.Unix(0, 0), ExpiresAt: time.Unix(1<<33, 0)}
	for _, v := range vs {
		ks, err := jwkset.Parse(v.Trust)
		if err != nil {
			f.Fatalf("vector %s: jwkset.Parse = %v", v.Name, err)
		}
		for _, k := range ks {
			if codec.KeyIDOf(k.Public) != k.KeyID || slices.ContainsFunc(b.Keys, func(bk bundle.Key) bool { return bk.Public.Equal(k.Public) }) {
				continue
			}
			bk := bundle.Key{Public: k.Public, NotBefore: time.Unix(0, 0), NotAfter: time.Unix(253402300799, 0)}
			if len(b.Keys) == 1 {
				bk.Kinds = []codec.Kind{codec.Personal}
			}
			if err := b.AddKey(bk); err != nil {
				f.Fatal(err)
			}
		}
		f.Add(v.Text, v.Now.Unix())
	}
	if len(b.Keys) < 3 {
		f.Fatalf("the vectors hold %d representable keys, want at least 3", len(b.Keys))
	}
	b.Keys[0].Status = bundle.Compromised
	var revoked []bundletest.Entry
	for i := range 64 {
		revoked = append(revoked, bundletest.Entry{byte(i), 1})
	}
	b, err := bundletest.WithEntries(b, revoked, nil, time.Unix(0, 0))
	if err != nil {
		f.Fatal(err)
	}
	trust, err := verify.FromBundle(b)
	if err != nil {
		f.Fatal(err)
	}
	v := verify.New(trust)
	v.AllowStale = true
	f.Fuzz(func(t *testing.T, text string, now int64) {
		r, err := v.Verify(text, time.Unix(now, 0))
		if err != nil && !verify.HasVerdict(err) {
			t.Fatalf("Verify(%q, %d) = %v, which has no verdict of its own", text, now, err)
		}
		if r.Verdict != verify.VerdictOf(err) || r.Sequence != 1 {
			t.Fatalf("Verify(%q, %d): Result %+v, error %v", text, now, r, err)
		}
		if err != nil {
			return
		}
		if bytes.Equal(r.Key, b.Keys[0].Public) {
			t.Fatalf("Verify(%q) = valid under a compromised key", text)
		}
		if b.CodeRevoked(r.Code) {
			t.Fatalf("Verify(%q) = valid for a revoked serial", text)
		}
	})
}
