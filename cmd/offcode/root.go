package main

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/offcode/offcode/bundle"
	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/bundledraft"
	"github.com/offcode/offcode/internal/keyfile"
	"github.com/offcode/offcode/internal/readlimit"
)

const rootUsage = `Make the offline root key that signs trust bundles.

Usage:
    offcode root keygen --key FILE --pub FILE

The root key signs trust bundles (SPEC.md §13) and nothing else. Keep it
off the signing service, on an offline machine. The private key is written
to a new file, PEM (PKCS #8), mode 0600, never overwriting one; the public
key to --pub as a PEM "PUBLIC KEY" block, the file every device is
provisioned with ("offcode verify --root FILE"). The root kid is printed.

Options:
    --key FILE    write the private root key to FILE (must not exist)
    --pub FILE    write the root public key to FILE (must not exist)

Examples:
    $ offcode root keygen --key root.key --pub root.pub
    6W2hN0Gq0yE
    offcode: wrote root.key (mode 0600, keep it offline) and root.pub (give it to every device)
`

func runRoot(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] != "keygen" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
			fmt.Fprint(e.stdout, rootUsage)
			return exitOK
		}
		e.errorf("root: want the subcommand keygen")
		e.hintf("run \"offcode help root\" for its options and examples")
		return exitUsage
	}
	fset := newFlagSet("root")
	var keyPath, pubPath string
	fset.StringVar(&keyPath, "key", "", "")
	fset.StringVar(&pubPath, "pub", "", "")
	pos, code, ok := e.parseArgs(fset, rootUsage, args[1:])
	if !ok {
		return code
	}
	if len(pos) > 0 {
		e.errorf("root keygen: unexpected argument %q", pos[0])
		return exitUsage
	}
	if !e.require("root", "key", keyPath, "pub", pubPath) {
		return exitUsage
	}
	for _, p := range []string{keyPath, pubPath} {
		if _, err := os.Lstat(p); err == nil {
			e.errorf("root keygen: %s already exists; offcode never overwrites a key file", p)
			return exitUsage
		}
	}
	pub, priv, err := ed25519.GenerateKey(e.rand)
	if err != nil {
		e.errorf("root keygen: generating the root key: %v", err)
		return exitUsage
	}
	if err := bundledraft.WriteRootKey(keyPath, priv); err != nil {
		e.errorf("%v", err)
		return exitUsage
	}
	f, err := os.OpenFile(pubPath, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err == nil {
		_, err = f.Write(keyfile.MarshalPublic(pub))
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		os.Remove(keyPath)
		if !errors.Is(err, fs.ErrExist) {
			os.Remove(pubPath)
		}
		e.errorf("root keygen: writing %s: %v", pubPath, err)
		return exitUsage
	}
	fmt.Fprintln(e.stdout, codec.KeyIDOf(pub).String())
	e.infof("wrote %s (mode 0600, keep it offline) and %s (give it to every device)", keyPath, pubPath)
	return exitOK
}

// loadRootPub reads a root public key file.
func loadRootPub(path string) ([]byte, error) {
	b, err := readlimit.File(path, 64<<10)
	if err != nil {
		return nil, fmt.Errorf("reading root public key: %w", err)
	}
	pub, err := bundle.ParseRootPublicPEM(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return pub, nil
}
