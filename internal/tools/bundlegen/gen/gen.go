// Package gen generates the trust-bundle test vectors published in
// testvectors/bundles/ (SPEC.md §13.11). The command internal/tools/bundlegen
// writes them to disk; the tests of package bundle regenerate them and
// compare byte for byte.
//
// Everything comes from fixed seeds and fixed times, so the output is the
// same on every run. Bundles are encoded with package bundle (or with
// byte surgery on its output for malformed cases), but each vector's
// expected results are set by what the case is built to test, never by
// running the verifier.
package gen

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/fxamacker/cbor/v2"

	"github.com/offcode/offcode/bundle"
	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/internal/bundlewire"
	"github.com/offcode/offcode/internal/format"
	"github.com/offcode/offcode/sign"
)

// seed returns SHA-256 of "offcode bundle vector <name>": the Ed25519 seed
// of a published test key, or a fixed salt or serial.
func seed(name string) []byte {
	s := sha256.Sum256([]byte("offcode bundle vector " + name))
	return s[:]
}

// RootKey returns the root key the vectors provision devices with.
func RootKey() *bundle.RootKey { return bundle.NewRootKey(ed25519.NewKeyFromSeed(seed("root"))) }

// signRaw signs payload as it is, with no check of its contents, under the
// provisioned root key: the vectors of malformed payloads.
func signRaw(payload []byte) []byte {
	priv := ed25519.NewKeyFromSeed(seed("root"))
	return bundlewire.Sign(payload, codec.KeyIDOf(priv.Public().(ed25519.PublicKey)), priv)
}

func otherRoot() *bundle.RootKey {
	return bundle.NewRootKey(ed25519.NewKeyFromSeed(seed("other root")))
}

// IssuerKey returns test issuer key n.
func IssuerKey(n int) *sign.Key {
	return sign.NewKey(ed25519.NewKeyFromSeed(seed(fmt.Sprintf("issuer %d", n))))
}

// t0 is the time the vectors are built around.
var t0 = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)

const (
	day  = 24 * time.Hour
	skew = 300
)

// File is the JSON form of one vector, in the order the fields are written.
type File struct {
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Context     Context  `json:"context"`
	Stages      Stages   `json:"stages"`
	Code        *Code    `json:"code,omitempty"`
	Expected    Expected `json:"expected"`
}

// Context is what the device holds before the bundle is offered.
type Context struct {
	// RootPublicKeys are the provisioned root public keys, hex.
	RootPublicKeys []string `json:"root_public_keys"`
	// HeldPayloadHex is the payload of the full bundle the device holds,
	// if any, and HeldSequence its sequence.
	HeldPayloadHex string `json:"held_payload_hex,omitempty"`
	HeldSequence   uint64 `json:"held_sequence,omitempty"`
}

// Stages are the bundle offered, as bytes and decoded.
type Stages struct {
	BundleHex   string `json:"bundle_hex"`
	PayloadHex  string `json:"payload_hex"`
	PayloadDiag string `json:"payload_diag"`
}

// Code is a code verified under the bundle once accepted.
type Code struct {
	Text        string `json:"text"`
	Now         string `json:"now"`
	NowUnix     int64  `json:"now_unix"`
	SkewSeconds int64  `json:"skew_seconds"`
	RefuseStale bool   `json:"refuse_stale"`
}

// Expected is the outcome: the acceptance verdict (SPEC.md §13.8), the
// sequence held afterwards, and for a code its verdict (SPEC.md §13.9, §8)
// and how stale the bundle was, in seconds.
type Expected struct {
	Bundle       string `json:"bundle"`
	Sequence     uint64 `json:"sequence"`
	Verdict      string `json:"verdict,omitempty"`
	StaleSeconds int64  `json:"stale_seconds"`
}

// Generate returns every vector file, by file name ("<name>.json").
func Generate() (map[string][]byte, error) {
	vs, err := cases()
	if err != nil {
		return nil, err
	}
	files := make(map[string][]byte, len(vs))
	for _, v := range vs {
		fn := v.Name + ".json"
		if _, dup := files[fn]; dup {
			return nil, fmt.Errorf("gen: two vectors named %s", v.Name)
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			return nil, fmt.Errorf("gen: vector %s: %w", v.Name, err)
		}
		files[fn] = buf.Bytes()
	}
	return files, nil
}

// vector builds a File.
type vector struct {
	name, desc string
	roots      []*bundle.RootKey
	held       *bundle.Bundle
	signed     []byte
	code       *Code
	want       Expected
}

var diagMode = mustDiag()

func mustDiag() cbor.DiagMode {
	dm, err := cbor.DiagOptions{ByteStringEncoding: cbor.ByteStringBase16Encoding}.DiagMode()
	if err != nil {
		panic(err)
	}
	return dm
}

func (v *vector) file() (*File, error) {
	f := &File{Name: v.name, Description: v.desc, Code: v.code, Expected: v.want}
	if v.roots == nil {
		v.roots = []*bundle.RootKey{RootKey()}
	}
	for _, r := range v.roots {
		f.Context.RootPublicKeys = append(f.Context.RootPublicKeys, hex.EncodeToString(r.Public()))
	}
	if v.held != nil {
		p, err := bundle.MarshalPayload(v.held)
		if err != nil {
			return nil, err
		}
		f.Context.HeldPayloadHex = hex.EncodeToString(p)
		f.Context.HeldSequence = v.held.Sequence
	}
	f.Stages.BundleHex = hex.EncodeToString(v.signed)
	if e, err := bundlewire.ParseEnvelope(v.signed); err == nil {
		f.Stages.PayloadHex = hex.EncodeToString(e.Payload)
		if d, err := diagMode.Diagnose(e.Payload); err == nil {
			f.Stages.PayloadDiag = d
		}
	}
	return f, nil
}

// at returns a Code verified at now with the default skew.
func at(text string, now time.Time) *Code {
	return &Code{Text: text, Now: now.Format(time.RFC3339), NowUnix: now.Unix(), SkewSeconds: skew}
}

func accepted(seq uint64) Expected { return Expected{Bundle: "accepted", Sequence: seq} }

func refused(a string, held uint64) Expected { return Expected{Bundle: a, Sequence: held} }

func codeVerdict(seq uint64, verdict string, stale time.Duration) Expected {
	return Expected{Bundle: "accepted", Sequence: seq, Verdict: verdict, StaleSeconds: int64(stale / time.Second)}
}

// person is a resident ID and the salt the service keeps for them.
type person struct {
	id   identity.ID
	salt [identity.SaltSize]byte
}

func newPerson(base string, saltName string) person {
	// base is 17 digits; find the check digit.
	for _, c := range "0123456789X" {
		if id, err := identity.ParseID(base+string(c), t0); err == nil {
			var p person
			p.id = id
			copy(p.salt[:], seed("salt "+saltName))
			return p
		}
	}
	panic("gen: no check digit for " + base)
}

func (p person) hash() identity.Hash { return identity.HashID(p.id, p.salt) }

// issue returns a code signed by k for p, issued at iat, serial from
// serialName.
func issue(k *sign.Key, p person, h identity.Hash, serialName string, iat time.Time, colour codec.Colour, kind codec.Kind) (string, *codec.Code) {
	c := &codec.Claims{IssuedAt: iat, ExpiresAt: iat.Add(codec.MaxValidity), Colour: colour, Kind: kind, Identity: h}
	copy(c.Serial[:], seed("serial "+serialName))
	text, err := k.Issue(c)
	if err != nil {
		panic(err)
	}
	code, err := codec.Decode(text)
	if err != nil {
		panic(err)
	}
	return text, code
}

// base returns the base bundle: sequence seq, issued at t0, valid 30 days,
// trusting issuer key 1 for a year either side of t0.
func base(seq uint64) *bundle.Bundle {
	b := &bundle.Bundle{Sequence: seq, IssuedAt: t0, ExpiresAt: t0.Add(30 * day)}
	must(b.AddKey(bundle.Key{Public: IssuerKey(1).Public(), NotBefore: t0.Add(-365 * day), NotAfter: t0.Add(365 * day), Issuer: "Xi'an test issuer 1"}))
	return b
}

func signed(b *bundle.Bundle) []byte {
	s, err := bundle.Sign(b, RootKey())
	if err != nil {
		panic(err)
	}
	return s
}

func payloadOf(b *bundle.Bundle) []byte {
	p, err := bundle.MarshalPayload(b)
	if err != nil {
		panic(err)
	}
	return p
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// replaceOnce replaces the one occurrence of old in b, and panics if there
// is not exactly one.
func replaceOnce(b, old, new []byte) []byte {
	if bytes.Count(b, old) != 1 {
		panic(fmt.Sprintf("gen: %x occurs %d times", old, bytes.Count(b, old)))
	}
	return bytes.Replace(b, old, new, 1)
}

// fixture holds the keys, people, times and codes the vector sections share.
type fixture struct {
	k1, k2, k3, k4 *sign.Key
	alice, bob     person
	// now is when most codes are verified; T is Bob's revocation time and
	// R the key rotation time.
	now, T, R time.Time
	aliceText string
	aliceCode *codec.Code
}

func newFixture() *fixture {
	f := &fixture{
		k1: IssuerKey(1), k2: IssuerKey(2), k3: IssuerKey(3), k4: IssuerKey(4),
		alice: newPerson("61010319800101123", "alice"),
		bob:   newPerson("61011319751231002", "bob"),
		now:   t0.Add(2 * day),
		T:     t0.Add(day + 12*time.Hour),
		R:     t0.Add(5 * day),
	}
	f.aliceText, f.aliceCode = issue(f.k1, f.alice, f.alice.hash(), "alice 1", t0.Add(day), codec.Green, codec.Personal)
	return f
}

func cases() (out []*File, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("gen: %v", r)
		}
	}()
	f := newFixture()
	var vs []*vector
	for _, part := range []func(*fixture) []*vector{acceptanceCases, malformedCases, staleCases, revocationCases, keyCases, deltaCases} {
		vs = append(vs, part(f)...)
	}
	vs = append(vs, mustCases()...)
	for _, v := range vs {
		file, err := v.file()
		if err != nil {
			return nil, fmt.Errorf("gen: %s: %w", v.name, err)
		}
		out = append(out, file)
	}
	return out, nil
}

// withField returns payload p with an extra field n: 0, re-encoded
// deterministically.
func withField(p []byte, n uint64) []byte {
	var m map[uint64]cbor.RawMessage
	must(cbor.Unmarshal(p, &m))
	m[n] = cbor.RawMessage{0x00}
	em, err := cbor.CoreDetEncOptions().EncMode()
	must(err)
	out, err := em.Marshal(m)
	must(err)
	return out
}

// orderL is the order of the Ed25519 prime-order subgroup, little-endian.
var orderL = [32]byte{
	0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
}

// withSPlusL returns the signed bundle with its signature's S replaced by
// S + L, which still satisfies the verification equation. S + L < 2^256
// because S < L < 2^253.
func withSPlusL(signed []byte) []byte {
	out := bytes.Clone(signed)
	sc := out[len(out)-32:]
	carry := 0
	for i := range sc {
		v := int(sc[i]) + int(orderL[i]) + carry
		sc[i], carry = byte(v), v>>8
	}
	return out
}

// acceptanceCases returns the vectors of the acceptance steps of SPEC.md §13.8.
func acceptanceCases(f *fixture) (vs []*vector) {
	add := func(v *vector) { vs = append(vs, v) }
	add(&vector{name: "valid_bundle", desc: "A bundle signed by the provisioned root; a code of its issuer key verifies.",
		signed: signed(base(10)), code: at(f.aliceText, f.now), want: codeVerdict(10, "valid", 0)})
	bad := signed(base(10))
	bad[len(bad)-40] ^= 0x01
	add(&vector{name: "bad_root_signature", desc: "One bit of the root signature flipped.",
		signed: bad, want: refused("bad_root_signature", 0)})
	add(&vector{name: "root_signature_s_not_canonical", desc: "The root signature's S replaced by S + L: the same signature to a lax verifier, refused because S >= L (SPEC.md §3.4).",
		signed: withSPlusL(signed(base(10))), want: refused("bad_root_signature", 0)})
	exp := t0.Add(30 * day).Unix()
	edited := replaceOnce(signed(base(10)),
		[]byte{0x04, 0x1a, byte(exp >> 24), byte(exp >> 16), byte(exp >> 8), byte(exp)},
		[]byte{0x04, 0x1a, byte(exp >> 24), byte(exp >> 16), byte(exp >> 8), byte(exp) ^ 0x01})
	add(&vector{name: "edited_payload_byte", desc: "One byte of the payload changed (expires_at one second later): still well-formed, but the root signature fails.",
		signed: edited, want: refused("bad_root_signature", 0)})
	other, err := bundle.Sign(base(10), otherRoot())
	must(err)
	add(&vector{name: "unknown_root", desc: "A well-formed bundle signed by a root key the device was not provisioned with.",
		signed: other, want: refused("unknown_root", 0)})
	add(&vector{name: "second_root", desc: "The device holds two root public keys; the bundle is signed by the second.",
		roots: []*bundle.RootKey{otherRoot(), RootKey()}, signed: signed(base(10)), want: accepted(10)})
	add(&vector{name: "newer_sequence", desc: "The device holds sequence 10 and is offered 11.",
		held: base(10), signed: signed(base(11)), want: accepted(11)})
	add(&vector{name: "rollback", desc: "The device holds sequence 10 and is offered a validly signed bundle with sequence 9.",
		held: base(10), signed: signed(base(9)), want: refused("rollback", 10)})
	add(&vector{name: "rollback_same_sequence", desc: "The device holds sequence 10 and is offered sequence 10 again.",
		held: base(10), signed: signed(base(10)), want: refused("rollback", 10)})
	return vs
}

// malformedCases returns the vectors of bundles refused as malformed (SPEC.md §13.3, §13.4), properly signed so that only the structure is wrong.
func malformedCases(f *fixture) (vs []*vector) {
	add := func(v *vector) { vs = append(vs, v) }
	unsorted := base(10)
	e1, e2 := entry{1}, entry{2}
	unsorted = withSerials(unsorted, e1, e2)
	p := replaceOnce(payloadOf(unsorted), append(e1[:], e2[:]...), append(e2[:], e1[:]...))
	add(&vector{name: "unsorted_serials", desc: "Revoked serial entries out of order.",
		signed: signRaw(p), want: refused("malformed_bundle", 0)})
	dup := replaceOnce(payloadOf(unsorted), append(e1[:], e2[:]...), append(e1[:], e1[:]...))
	add(&vector{name: "duplicate_serial", desc: "A revoked serial entry listed twice.",
		signed: signRaw(dup), want: refused("malformed_bundle", 0)})
	kid := codec.KeyIDOf(f.k1.Public())
	wrongKid := append([]byte{0x01, 0x48}, kid[:]...)
	wrongKidTo := bytes.Clone(wrongKid)
	wrongKidTo[2] ^= 0xff
	add(&vector{name: "kid_not_key_hash", desc: "An issuer key's kid is not SHA-256 of its public key.",
		signed: signRaw(replaceOnce(payloadOf(base(10)), wrongKid, wrongKidTo)), want: refused("malformed_bundle", 0)})
	add(&vector{name: "unknown_field", desc: "The payload has a field 9, unknown to version 1.",
		signed: signRaw(withField(payloadOf(base(10)), 9)), want: refused("malformed_bundle", 0)})
	add(&vector{name: "truncated_bundle", desc: "The last byte of the file is missing.",
		signed: signed(base(10))[:len(signed(base(10)))-1], want: refused("malformed_bundle", 0)})
	add(&vector{name: "trailing_byte", desc: "A byte after the COSE_Sign1.",
		signed: append(signed(base(10)), 0x00), want: refused("malformed_bundle", 0)})
	codeText, err := f.k1.Issue(&f.aliceCode.Claims)
	must(err)
	codeCOSE, err := format.DecodeBase45(codeText[len(codec.Prefix):])
	must(err)
	add(&vector{name: "code_as_bundle", desc: "An offline code's COSE_Sign1 offered as a bundle: its protected header has no bundle content type.",
		signed: codeCOSE, want: refused("malformed_bundle", 0)})
	return vs
}

// staleCases returns the vectors of staleness (SPEC.md §13.9).
func staleCases(f *fixture) (vs []*vector) {
	add := func(v *vector) { vs = append(vs, v) }
	staleNow := t0.Add(30*day + time.Hour)
	staleText, _ := issue(f.k1, f.alice, f.alice.hash(), "alice stale", staleNow.Add(-2*time.Hour), codec.Green, codec.Personal)
	add(&vector{name: "stale_bundle_warn", desc: "The bundle expired an hour ago; under the default policy the code is valid and the bundle reported stale by 3600 s.",
		signed: signed(base(10)), code: at(staleText, staleNow), want: codeVerdict(10, "valid", time.Hour)})
	refuse := at(staleText, staleNow)
	refuse.RefuseStale = true
	add(&vector{name: "stale_bundle_refuse", desc: "The same, under the policy that refuses stale trust data.",
		signed: signed(base(10)), code: refuse, want: codeVerdict(10, "stale_trust", time.Hour)})
	expiredText, _ := issue(f.k1, f.alice, f.alice.hash(), "alice expired", staleNow.Add(-8*day), codec.Green, codec.Personal)
	refuse2 := at(expiredText, staleNow)
	refuse2.RefuseStale = true
	add(&vector{name: "stale_bundle_refuse_expired_code", desc: "Under a stale bundle and the refuse policy, a code that is rejected anyway keeps its own verdict.",
		signed: signed(base(10)), code: refuse2, want: codeVerdict(10, "expired", time.Hour)})
	return vs
}

// revocationCases returns the vectors of revoked serials and identities (SPEC.md §13.6).
func revocationCases(f *fixture) (vs []*vector) {
	add := func(v *vector) { vs = append(vs, v) }
	rev := base(12)
	rev.RevokeCode(f.aliceCode)
	add(&vector{name: "revoked_serial", desc: "The code's serial entry is listed.",
		signed: signed(rev), code: at(f.aliceText, f.now), want: codeVerdict(12, "revoked", 0)})
	aliceOther, _ := issue(f.k1, f.alice, f.alice.hash(), "alice 2", t0.Add(day), codec.Green, codec.Personal)
	add(&vector{name: "revoked_serial_other_code", desc: "Another code of the same person, not revoked, under the same bundle.",
		signed: signed(rev), code: at(aliceOther, f.now), want: codeVerdict(12, "valid", 0)})
	bobBefore, _ := issue(f.k1, f.bob, f.bob.hash(), "bob before", f.T.Add(-time.Second), codec.Green, codec.Personal)
	bobAfter, _ := issue(f.k1, f.bob, f.bob.hash(), "bob after", f.T, codec.Red, codec.Personal)
	bobOtherSalt := newPerson("61011319751231002", "bob per-code salt")
	bobOther, _ := issue(f.k1, bobOtherSalt, bobOtherSalt.hash(), "bob other salt", f.T.Add(-time.Hour), codec.Green, codec.Personal)
	pr := base(13)
	must(pr.RevokePerson(f.bob.hash(), f.T))
	add(&vector{name: "revoked_identity_before_t", desc: "Bob's codes issued before T are revoked; this one was issued one second before T.",
		signed: signed(pr), code: at(bobBefore, f.now), want: codeVerdict(13, "identity_revoked", 0)})
	add(&vector{name: "revoked_identity_at_t", desc: "Bob's red code issued at T (with the same per-person salt) is not revoked.",
		signed: signed(pr), code: at(bobAfter, f.now), want: codeVerdict(13, "valid", 0)})
	add(&vector{name: "revoked_identity_other_salt", desc: "A code for Bob issued before T with a different salt: its identity hash differs, so the identity entry does not stop it (SPEC.md §13.6, which salt).",
		signed: signed(pr), code: at(bobOther, f.now), want: codeVerdict(13, "valid", 0)})
	return vs
}

// keyCases returns the vectors of key rotation, validity, compromise and kinds (SPEC.md §13.5).
func keyCases(f *fixture) (vs []*vector) {
	add := func(v *vector) { vs = append(vs, v) }
	rot := base(14)
	must(rot.AddKey(bundle.Key{Public: f.k2.Public(), NotBefore: f.R, NotAfter: f.R.Add(365 * day), Issuer: "Xi'an test issuer 2"}))
	must(rot.RetireKey(keyIndex(rot, f.k1.Public()), f.R))
	rotNow := f.R.Add(day)
	oldCode, _ := issue(f.k1, f.alice, f.alice.hash(), "rot old", f.R.Add(-time.Hour), codec.Green, codec.Personal)
	newCode, _ := issue(f.k2, f.alice, f.alice.hash(), "rot new", f.R.Add(time.Hour), codec.Green, codec.Personal)
	lateOld, _ := issue(f.k1, f.alice, f.alice.hash(), "rot late old", f.R.Add(time.Second), codec.Green, codec.Personal)
	add(&vector{name: "rotated_key_old_code", desc: "Key 1 retired at R, key 2 active from R: a code key 1 issued before R is still valid.",
		signed: signed(rot), code: at(oldCode, rotNow), want: codeVerdict(14, "valid", 0)})
	add(&vector{name: "rotated_key_new_code", desc: "The same bundle: a code key 2 issued after R is valid.",
		signed: signed(rot), code: at(newCode, rotNow), want: codeVerdict(14, "valid", 0)})
	add(&vector{name: "rotated_key_old_key_after_retirement", desc: "The same bundle: a code key 1 issued one second after its retirement is refused.",
		signed: signed(rot), code: at(lateOld, rotNow), want: codeVerdict(14, "key_not_valid", 0)})

	pv := base(15)
	must(pv.AddKey(bundle.Key{Public: f.k3.Public(), NotBefore: t0, NotAfter: t0.Add(day)}))
	lastSecond, _ := issue(f.k3, f.alice, f.alice.hash(), "k3 last", t0.Add(day), codec.Yellow, codec.Personal)
	past, _ := issue(f.k3, f.alice, f.alice.hash(), "k3 past", t0.Add(day+time.Second), codec.Yellow, codec.Personal)
	add(&vector{name: "key_last_second_of_validity", desc: "Key 3 is valid until t0+1d; a code issued exactly then verifies.",
		signed: signed(pv), code: at(lastSecond, f.now), want: codeVerdict(15, "valid", 0)})
	add(&vector{name: "key_past_validity", desc: "A code key 3 issued one second after its not_after.",
		signed: signed(pv), code: at(past, f.now), want: codeVerdict(15, "key_not_valid", 0)})

	cp := base(16)
	must(cp.AddKey(bundle.Key{Public: f.k3.Public(), NotBefore: t0.Add(-365 * day), NotAfter: t0.Add(365 * day)}))
	cp.Keys[keyIndex(cp, f.k3.Public())].Status = bundle.Compromised
	early, _ := issue(f.k3, f.alice, f.alice.hash(), "k3 early", t0.Add(-day), codec.Green, codec.Personal)
	add(&vector{name: "compromised_key", desc: "Key 3 is marked compromised: even a code it issued before anyone knew is refused.",
		signed: signed(cp), code: at(early, f.now), want: codeVerdict(16, "key_revoked", 0)})

	kn := base(17)
	must(kn.AddKey(bundle.Key{Public: f.k3.Public(), NotBefore: t0.Add(-day), NotAfter: t0.Add(365 * day), Kinds: []codec.Kind{codec.Personal}}))
	kinCode, _ := issue(f.k3, f.alice, f.alice.hash(), "k3 kin", t0.Add(day), codec.Green, codec.Kin)
	add(&vector{name: "kind_not_allowed", desc: "Key 3 may sign personal codes only; this is a kinship code.",
		signed: signed(kn), code: at(kinCode, f.now), want: codeVerdict(17, "kind_not_allowed", 0)})

	unknown, _ := issue(f.k4, f.alice, f.alice.hash(), "k4", t0.Add(day), codec.Green, codec.Personal)
	add(&vector{name: "unknown_issuer_key", desc: "A code signed by a key the bundle does not list.",
		signed: signed(base(10)), code: at(unknown, f.now), want: codeVerdict(10, "unknown_kid", 0)})
	return vs
}

// deltaCases returns the vectors of delta bundles (SPEC.md §13.7).
func deltaCases(f *fixture) (vs []*vector) {
	add := func(v *vector) { vs = append(vs, v) }
	from := base(20)
	must(from.RevokePerson(f.bob.hash(), f.T))
	from = withSerials(from, entry{0x42})
	to := base(21)
	to.RevokeCode(f.aliceCode)
	must(to.RevokePerson(f.bob.hash(), f.T.Add(time.Hour)))
	must(to.AddKey(bundle.Key{Public: f.k2.Public(), NotBefore: f.R, NotAfter: f.R.Add(365 * day)}))
	delta, err := bundle.NewDelta(from, to)
	must(err)
	add(&vector{name: "delta_applied", desc: "The device holds 20; a delta since 20 revokes Alice's code, drops one entry, moves Bob's time and adds key 2.",
		held: from, signed: signed(delta), code: at(f.aliceText, f.now), want: codeVerdict(21, "revoked", 0)})
	older := base(19)
	add(&vector{name: "delta_wrong_base", desc: "A delta since 20 offered to a device holding 19.",
		held: older, signed: signed(delta), want: refused("delta_mismatch", 19)})
	add(&vector{name: "delta_without_base", desc: "A delta offered to a device holding no bundle.",
		signed: signed(delta), want: refused("delta_mismatch", 0)})
	badDelta := editedDelta(delta, func(d fields) {
		r := bytes.Clone(bytesOf(d[2]))
		r[0] ^= 0xff
		d[2] = enc(r)
	})
	add(&vector{name: "delta_wrong_result", desc: "A delta whose signed result digest does not match what it produces.",
		held: from, signed: signed(badDelta), want: refused("delta_mismatch", 20)})
	add(&vector{name: "delta_rollback", desc: "A delta to 21 offered to a device that already holds 21.",
		held: to, signed: signed(delta), want: refused("rollback", 21)})
	return vs
}
