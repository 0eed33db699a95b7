package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/offcode/offcode/internal/atomicfile"
	"github.com/offcode/offcode/internal/jwkset"
	"github.com/offcode/offcode/internal/readlimit"
	"github.com/offcode/offcode/sign"
)

const keygenUsage = `Make an issuer key and add its public key to a trust store.

Usage:
    offcode keygen --key FILE --trust FILE [--issuer NAME] [--at TIME]

The private key is written to a new file, PEM (PKCS #8), mode 0600; an
existing file is never overwritten. The public key is added to the trust
store, a JWK Set (SPEC.md §9): the file is created if missing, otherwise it
is read, checked, and rewritten atomically with the key added. A key the
store already holds is not added twice. The key's kid is printed. The
key's creation time is recorded in the store as its "nbf": verifiers refuse
codes it claims to have signed before it existed (key_not_valid), and a
trust bundle that adopts the key later ("offcode bundle add-key") accepts
every code it issued since.

Options:
    --key FILE       write the private key to FILE (must not exist)
    --trust FILE     add the public key to the JWK Set in FILE
    --issuer NAME    name of the issuer, recorded with the key in the store
    --at TIME        the key's creation time, RFC 3339 (default: now)

Examples:
    $ offcode keygen --key issuer.pem --trust trust.json --issuer "Xi'an CDC"
    pY0b2Pq3kXk
    offcode: wrote issuer.pem (mode 0600) and added key pY0b2Pq3kXk to trust.json (1 key)

    Give trust.json to every verifier; keep issuer.pem on the signing machine.
`

func runKeygen(ctx context.Context, e *env, args []string) int {
	fset := newFlagSet("keygen")
	var keyPath, trustPath, issuer string
	fset.StringVar(&keyPath, "key", "", "")
	fset.StringVar(&trustPath, "trust", "", "")
	fset.StringVar(&issuer, "issuer", "", "")
	var at atFlag
	fset.Var(&at, "at", "")
	pos, code, ok := e.parseArgs(fset, keygenUsage, args)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		e.errorf("keygen: unexpected argument %q", pos[0])
		e.hintf("run \"offcode help keygen\" for its options and examples")
		return exitUsage
	}
	if !e.require("keygen", "key", keyPath, "trust", trustPath) {
		return exitUsage
	}
	if _, err := os.Lstat(keyPath); err == nil {
		return e.keyExists(keyPath)
	}

	// Read the trust store before writing anything, so that a broken
	// store leaves no orphan key behind.
	store, err := readTrustFile(trustPath)
	if err != nil {
		e.errorf("%v", err)
		e.hintf("fix or move %s; offcode does not rewrite a trust store it cannot read", trustPath)
		return exitUsage
	}

	key, err := sign.GenerateKey(e.rand)
	if err != nil {
		e.errorf("%v", err)
		return exitUsage
	}
	kid := key.KeyID().String()
	// The key signs codes from the moment it exists (JWK nbf): a trust
	// bundle adopting it later accepts the codes it issued already.
	made := at.time(e.now).Truncate(time.Second).UTC()
	added, err := store.add(jwkset.Key{KeyID: key.KeyID(), Public: key.Public(), Issuer: issuer, NotBefore: made})
	if err != nil {
		e.errorf("%v", err)
		return exitUsage
	}

	if err := sign.WriteKeyFile(keyPath, key); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return e.keyExists(keyPath)
		}
		e.errorf("%v", err)
		return exitUsage
	}
	if added {
		if err := store.write(); err != nil {
			// The key is not trusted anywhere and has signed nothing:
			// remove it so that a retry starts clean.
			os.Remove(keyPath)
			e.errorf("%v", err)
			e.hintf("%s was not kept; fix the problem and run keygen again", keyPath)
			return exitUsage
		}
	}
	fmt.Fprintln(e.stdout, kid)
	if added {
		e.infof("wrote %s (mode 0600) and added key %s to %s (%s)", keyPath, kid, trustPath, plural(store.len(), "key"))
	} else {
		e.infof("wrote %s (mode 0600); %s already holds key %s, left unchanged", keyPath, trustPath, kid)
	}
	return exitOK
}

func (e *env) keyExists(path string) int {
	e.errorf("keygen: %s already exists; offcode never overwrites a key file", path)
	e.hintf("choose another --key path, or move the old key away if you are sure it is no longer needed")
	return exitUsage
}

func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// trustFile is a JWK Set file being edited (jwkset.Add keeps the
// members offcode does not know).
type trustFile struct {
	path string
	mode fs.FileMode
	data []byte // nil for a new file
	n    int    // keys held
}

// readTrustFile reads and checks the JWK Set at path; a missing file is an
// empty set.
func readTrustFile(path string) (*trustFile, error) {
	t := &trustFile{path: path, mode: 0o644}
	b, err := readlimit.File(path, maxTrustFile)
	if errors.Is(err, fs.ErrNotExist) {
		return t, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading trust store: %w", err)
	}
	if fi, err := os.Stat(path); err == nil {
		t.mode = fi.Mode().Perm()
	}
	keys, err := jwkset.Parse(b)
	if err != nil {
		return nil, fmt.Errorf("trust store %s: %w", path, err)
	}
	t.data, t.n = b, len(keys)
	return t, nil
}

func (t *trustFile) len() int { return t.n }

// add adds k unless the store already holds the same public key under the
// same kid, and reports whether it added it.
func (t *trustFile) add(k jwkset.Key) (bool, error) {
	out, added, err := jwkset.Add(t.data, k)
	if err != nil {
		return false, fmt.Errorf("trust store %s: %w", t.path, err)
	}
	if added {
		t.data = out
		t.n++
	}
	return added, nil
}

// write replaces the file atomically (package atomicfile).
func (t *trustFile) write() error {
	if err := atomicfile.WriteFile(t.path, t.data, t.mode); err != nil {
		return fmt.Errorf("writing trust store: %w", err)
	}
	return nil
}
