package bundle_test

import (
	"crypto/ed25519"
	"fmt"
	"time"

	"github.com/offcode/offcode/bundle"
	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/internal/tools/bundlegen/gen"
)

// A root holder trusts an issuer key, signs a bundle, and later revokes a
// code; a device holding the first bundle accepts the second, which lists
// the code, and refuses the first when it is offered again. Package verify
// verifies codes under the bundle a device holds.
func Example() {
	t0 := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	root, issuer := gen.RootKey(), gen.IssuerKey(1)

	b := &bundle.Bundle{Sequence: 1, IssuedAt: t0, ExpiresAt: t0.Add(7 * 24 * time.Hour)}
	if err := b.AddKey(bundle.Key{Public: issuer.Public(), NotBefore: t0, NotAfter: t0.AddDate(1, 0, 0)}); err != nil {
		panic(err)
	}
	first, _ := bundle.Sign(b, root)

	id, _ := identity.ParseID("11010519491231002X", t0)
	claims := &codec.Claims{IssuedAt: t0.Add(time.Hour), ExpiresAt: t0.Add(25 * time.Hour),
		Identity: identity.HashID(id, [16]byte{1})}
	text, _ := issuer.Issue(claims)
	code, _ := codec.Decode(text)

	device := bundle.State{Roots: []ed25519.PublicKey{root.Public()}}
	fmt.Println(device.Accept(first), device.Bundle.Sequence, device.Bundle.CodeRevoked(code))

	b.Sequence = 2
	b.RevokeCode(code)
	second, _ := bundle.Sign(b, root)
	fmt.Println(device.Accept(second), device.Bundle.Sequence, device.Bundle.CodeRevoked(code))
	fmt.Println(bundle.AcceptanceOf(device.Accept(first)), device.Bundle.Sequence)
	// Output:
	// <nil> 1 false
	// <nil> 2 true
	// rollback 2
}
