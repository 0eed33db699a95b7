package gen

import (
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"
	"math/big"
	"time"
)

// The fixed clock of the vectors.
var (
	// now0 is the validation clock of most vectors.
	now0 = time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	// iat0 is the issue time of most codes: one day before now0.
	iat0 = now0.Add(-24 * time.Hour)
	// week is the longest validity window, 604800 s.
	week = 7 * 24 * time.Hour
)

// person is a (synthetic) resident ID number with the identity salt its
// codes carry.
type person struct {
	id   string
	salt []byte
	sum  []byte
}

func newPerson(id string, n int) person {
	s := sha256.Sum256(fmt.Appendf(nil, "offcode test vector salt %d", n))
	return person{id: id, salt: s[:16], sum: identitySum(id, s[:16])}
}

// The people of the vectors. The numbers are synthetic, with correct check
// digits (GB 11643-1999).
var (
	personA = newPerson("110105198503071230", 1) // Beijing, born 1985-03-07
	personB = newPerson("440304200108150028", 2) // Shenzhen, born 2001-08-15
	personC = newPerson("61011319720229002X", 3) // Xi'an, born on 1972-02-29, check digit X
)

// claims are the values of a payload. The identity array is built from
// version, salt and sum.
type claims struct {
	iat, exp     int64
	serial       []byte
	colour, kind uint64
	version      uint64
	salt, sum    []byte
}

// base returns the claims of the usual code of a vector: person A, green,
// personal, issued at iat0 for 7 days, with a serial derived from the
// vector's name.
func base(name string) claims {
	s := sha256.Sum256([]byte("offcode test vector serial " + name))
	return claims{
		iat:     iat0.Unix(),
		exp:     iat0.Add(week).Unix(),
		serial:  s[:12],
		version: identityVersion,
		salt:    personA.salt,
		sum:     personA.sum,
	}
}

func (c claims) forPerson(p person) claims {
	c.salt, c.sum = p.salt, p.sum
	return c
}

func (c claims) issuedAt(t time.Time, window time.Duration) claims {
	c.iat, c.exp = t.Unix(), t.Add(window).Unix()
	return c
}

// Claim keys as encoded.
var (
	keyExp      = u(4)
	keyIat      = u(6)
	keyCti      = u(7)
	keyOffcode  = integer(-65537)
	keyColour   = u(1)
	keyKind     = u(2)
	keyIdentity = u(3)
)

func (c claims) identity() []byte { return array(u(c.version), bs(c.salt), bs(c.sum)) }

// offcode returns the entries of the private claim -65537.
func (c claims) offcode() entries {
	return entries{{keyColour, u(c.colour)}, {keyKind, u(c.kind)}, {keyIdentity, c.identity()}}
}

// top returns the entries of the claims map with hc as claim -65537.
func (c claims) top(hc []byte) entries {
	return entries{
		{keyExp, u(uint64(c.exp))},
		{keyIat, u(uint64(c.iat))},
		{keyCti, bs(c.serial)},
		{keyOffcode, hc},
	}
}

// payload is the canonical payload of c.
func (c claims) payload() []byte { return c.top(c.offcode().canonical()).canonical() }

// build is a vector builder with the usual context: trust store holding test
// key 1, clock now0, skew 300 s.
func build(name, desc string) *vector {
	return &vector{
		name:  name,
		desc:  desc,
		trust: []jwk{trusted(1)},
		now:   now0,
		skew:  DefaultSkew,
	}
}

// code sets the payload, COSE and text stages of a code that is payload as
// signed by key in a conforming envelope.
func (v *vector) code(key ed25519.PrivateKey, payload []byte) *vector {
	v.payload = payload
	return v.envelope(signed(key, payload))
}

// envelope sets the COSE and text stages.
func (v *vector) envelope(cose []byte) *vector {
	v.cose = cose
	v.text = text(cose)
	return v
}

func (v *vector) expect(e expected) vector {
	v.want = e
	return *v
}

// The signature's two halves: R (32 bytes) then S (32 bytes, little-endian).
var orderL, _ = new(big.Int).SetString("7237005577332262213973186563042994240857116359379907606001950938285454250989", 10)

func leToInt(b []byte) *big.Int {
	be := make([]byte, len(b))
	for i := range b {
		be[len(b)-1-i] = b[i]
	}
	return new(big.Int).SetBytes(be)
}

func intToLE(n *big.Int) []byte {
	be := n.FillBytes(make([]byte, 32))
	le := make([]byte, 32)
	for i := range be {
		le[31-i] = be[i]
	}
	return le
}

func cases() ([]vector, error) {
	var vs []vector
	vs = append(vs, validCases()...)
	vs = append(vs, identityCases()...)
	vs = append(vs, windowCases()...)
	vs = append(vs, keyCases()...)
	part, err := signatureCases()
	if err != nil {
		return nil, err
	}
	vs = append(vs, part...)
	part, err = textCases()
	if err != nil {
		return nil, err
	}
	vs = append(vs, part...)
	part, err = envelopeCases()
	if err != nil {
		return nil, err
	}
	vs = append(vs, part...)
	vs = append(vs, strictCases()...)
	vs = append(vs, deterministicCases()...)
	vs = append(vs, tagCases()...)
	vs = append(vs, headerCases()...)
	vs = append(vs, claimCases()...)
	vs = append(vs, defectCases()...)
	vs = append(vs, smallOrderCases()...)
	return vs, nil
}
