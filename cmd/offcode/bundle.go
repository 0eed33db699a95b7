package main

import (
	"context"
	"crypto/ed25519"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/offcode/offcode/bundle"
	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/atomicfile"
	"github.com/offcode/offcode/internal/bundledraft"
	"github.com/offcode/offcode/internal/jwkset"
)

const bundleUsage = `Build, sign and inspect trust bundles (SPEC.md §13).

Usage:
    offcode bundle init DRAFT
    offcode bundle add-key --trust FILE [--kid KID] [--not-before TIME] [--not-after TIME] [--kinds LIST] DRAFT
    offcode bundle remove-key --kid KID [--at TIME | --compromised | --delete] DRAFT
    offcode bundle revoke --code CODE [--person [--before TIME]] DRAFT
    offcode bundle sign --key ROOTKEY [--valid DURATION] [--delta-from OLD --delta-out FILE] DRAFT OUT
    offcode bundle show [--root FILE] [--at TIME] FILE
    offcode bundle diff [--root FILE] OLD NEW

A trust bundle is the signed file a scanning device syncs: the issuer keys it
trusts, the codes and people that are revoked, a sequence number and an
expiry. The root holder keeps a DRAFT (the unsigned bundle, edited by init,
add-key, remove-key and revoke) and signs it offline with the root key into
the file devices get. Each sign uses the draft's sequence and then raises it.

    init        start an empty draft, sequence 1
    add-key     trust the keys of a JWK Set (from "offcode keygen"), or the
                one with --kid; the period defaults to the key's own: from
                its JWK nbf (when keygen made it; codes it issued already
                stay valid), to its exp or a year on; --kinds personal, kin
                or personal,kin
    remove-key  retire a key: codes it issued before --at (default now) stay
                valid until they expire, later ones are refused. With
                --compromised every code of the key is refused; with
                --delete the key goes (do that 7 days after retiring it)
    revoke      revoke one code (its serial); with --person every code of
                the same person (identity hash) issued before --before
                (default now)
    sign        sign the draft into OUT, issued now and valid for --valid
                (default 720h); with --delta-from, also write a delta from
                that older signed bundle to --delta-out
    show        print a summary: keys, validity, counts, sequence, expiry;
                with --root, check the signature first
    diff        print what changed between two bundles

Examples:
    $ offcode root keygen --key root.key --pub root.pub
    $ offcode bundle init bundle.draft
    $ offcode bundle add-key --trust trust.json bundle.draft
    $ offcode bundle sign --key root.key bundle.draft bundle.cbor
    $ offcode verify --bundle bundle.cbor --root root.pub "$(cat code.txt)"
    $ offcode bundle revoke --code "$(cat code.txt)" bundle.draft
    $ offcode bundle sign --key root.key bundle.draft bundle.cbor
    $ offcode bundle show --root root.pub bundle.cbor
`

var bundleCommands = map[string]func(e *env, args []string) int{
	"init":       runBundleInit,
	"add-key":    runBundleAddKey,
	"remove-key": runBundleRemoveKey,
	"revoke":     runBundleRevoke,
	"sign":       runBundleSign,
	"show":       runBundleShow,
	"diff":       runBundleDiff,
	"pull":       runBundlePull, // bundlepull.go: revocations from the signing service
}

func runBundle(ctx context.Context, e *env, args []string) int {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
		fmt.Fprint(e.stdout, bundleUsage)
		return exitOK
	}
	if len(args) == 0 || bundleCommands[args[0]] == nil {
		if len(args) == 0 {
			e.errorf("bundle: missing subcommand")
		} else {
			e.errorf("bundle: unknown subcommand %q", args[0])
		}
		e.hintf("want init, add-key, remove-key, revoke, sign, show or diff; run \"offcode help bundle\"")
		return exitUsage
	}
	return bundleCommands[args[0]](e, args[1:])
}

// parseBundleArgs parses a subcommand's flags and wants exactly n
// positional arguments.
func (e *env) parseBundleArgs(fset *flag.FlagSet, args []string, n int, what string) ([]string, int, bool) {
	pos, code, ok := e.parseArgs(fset, bundleUsage, args)
	if !ok {
		return nil, code, false
	}
	if len(pos) != n {
		e.errorf("%s: want %s", fset.Name(), what)
		e.hintf("run \"offcode help bundle\" for its options and examples")
		return nil, exitUsage, false
	}
	return pos, exitOK, true
}

func runBundleInit(e *env, args []string) int {
	fset := newFlagSet("bundle init")
	pos, code, ok := e.parseBundleArgs(fset, args, 1, "one DRAFT file")
	if !ok {
		return code
	}
	if _, err := os.Lstat(pos[0]); err == nil {
		e.errorf("bundle init: %s already exists", pos[0])
		return exitUsage
	}
	if err := bundledraft.Write(pos[0], bundledraft.New(e.now())); err != nil {
		e.errorf("bundle init: %v", err)
		return exitUsage
	}
	e.infof("wrote %s: an empty draft; add keys with: offcode bundle add-key --trust trust.json %s", pos[0], pos[0])
	return exitOK
}

func runBundleAddKey(e *env, args []string) int {
	fset := newFlagSet("bundle add-key")
	var trustPath, kidText, kinds string
	var nbf, naf atFlag
	fset.StringVar(&trustPath, "trust", "", "")
	fset.StringVar(&kidText, "kid", "", "")
	fset.Var(&nbf, "not-before", "")
	fset.Var(&naf, "not-after", "")
	fset.StringVar(&kinds, "kinds", "personal,kin", "")
	pos, code, ok := e.parseBundleArgs(fset, args, 1, "one DRAFT file")
	if !ok {
		return code
	}
	if !e.require("bundle add-key", "trust", trustPath) {
		return exitUsage
	}
	var ks []codec.Kind
	for _, s := range strings.Split(kinds, ",") {
		k, err := codec.ParseKind(strings.TrimSpace(s))
		if err != nil {
			e.errorf("bundle add-key: --kinds: %s", detail(err))
			return exitUsage
		}
		ks = append(ks, k)
	}
	b, err := bundledraft.Read(pos[0])
	if err != nil {
		e.errorf("bundle add-key: %v", err)
		return exitUsage
	}
	_, keys, err := loadTrust(trustPath)
	if err != nil {
		e.errorf("bundle add-key: %v", err)
		return exitUsage
	}
	matched := 0
	for _, tk := range keys {
		kid := codec.KeyIDOf(tk.Public).String()
		if kidText != "" && kid != kidText {
			continue
		}
		matched++
		k := bundle.Key{Public: tk.Public, Issuer: tk.Issuer, Kinds: ks}
		k.NotBefore, k.NotAfter = keyPeriod(tk, nbf, naf, e.now())
		if slices.ContainsFunc(b.Keys, func(k bundle.Key) bool { return k.Public.Equal(tk.Public) }) {
			e.infof("key %s is already in %s, left unchanged", kid, pos[0])
			continue
		}
		if err := b.AddKey(k); err != nil {
			e.errorf("bundle add-key: key %s: %v", kid, err)
			return exitUsage
		}
		e.infof("added key %s (%s): codes issued %s to %s", kid, bundleKinds(k.Kinds), local(k.NotBefore), local(k.NotAfter))
	}
	if matched == 0 && kidText == "" {
		e.errorf("bundle add-key: %s holds no keys", trustPath)
		return exitUsage
	}
	if matched == 0 {
		e.errorf("bundle add-key: %s holds no key with kid %s", trustPath, kidText)
		return exitUsage
	}
	if err := bundledraft.Write(pos[0], b); err != nil {
		e.errorf("bundle add-key: %v", err)
		return exitUsage
	}
	return exitOK
}

// keyPeriod returns the period a key gets in a bundle: the flags if set,
// else the key's own period from its JWK (keygen records its creation as
// nbf), so that the codes it already issued keep verifying. A JWK without
// nbf has no lower bound; without exp the period ends a year after it
// starts or after now, whichever is later.
func keyPeriod(tk jwkset.Key, nbf, naf atFlag, now time.Time) (from, to time.Time) {
	from, to = tk.NotBefore, tk.NotAfter
	switch {
	case nbf.set:
		from = nbf.t
	case from.IsZero():
		from = time.Unix(0, 0)
	}
	switch {
	case naf.set:
		to = naf.t
	case to.IsZero():
		to = from.AddDate(1, 0, 0)
		if n := now.AddDate(1, 0, 0); n.After(to) {
			to = n
		}
	}
	return from, to
}

func runBundleRemoveKey(e *env, args []string) int {
	fset := newFlagSet("bundle remove-key")
	var kidText string
	var at atFlag
	var compromised, del bool
	fset.StringVar(&kidText, "kid", "", "")
	fset.Var(&at, "at", "")
	fset.BoolVar(&compromised, "compromised", false, "")
	fset.BoolVar(&del, "delete", false, "")
	pos, code, ok := e.parseBundleArgs(fset, args, 1, "one DRAFT file")
	if !ok {
		return code
	}
	if !e.require("bundle remove-key", "kid", kidText) {
		return exitUsage
	}
	if n := countSet(at.set) + countSet(compromised) + countSet(del); n > 1 {
		e.errorf("bundle remove-key: --at, --compromised and --delete exclude each other")
		return exitUsage
	}
	b, err := bundledraft.Read(pos[0])
	if err != nil {
		e.errorf("bundle remove-key: %v", err)
		return exitUsage
	}
	n := 0
	for i := len(b.Keys) - 1; i >= 0; i-- {
		if b.Keys[i].KeyID.String() != kidText {
			continue
		}
		n++
		switch {
		case del:
			b.Keys = slices.Delete(b.Keys, i, i+1)
			e.infof("deleted key %s", kidText)
		case compromised:
			b.Keys[i].Status = bundle.Compromised
			e.infof("marked key %s compromised: no code it signed will verify", kidText)
		default:
			t := at.time(e.now)
			if err := b.RetireKey(i, t); err != nil {
				e.errorf("bundle remove-key: %v", err)
				return exitUsage
			}
			e.infof("retired key %s: codes it issued after %s are refused", kidText, local(b.Keys[i].NotAfter))
		}
	}
	if n == 0 {
		e.errorf("bundle remove-key: %s holds no key with kid %s", pos[0], kidText)
		return exitUsage
	}
	if err := bundledraft.Write(pos[0], b); err != nil {
		e.errorf("bundle remove-key: %v", err)
		return exitUsage
	}
	return exitOK
}

func countSet(b bool) int {
	if b {
		return 1
	}
	return 0
}

func runBundleRevoke(e *env, args []string) int {
	fset := newFlagSet("bundle revoke")
	var text string
	var person bool
	var before atFlag
	fset.StringVar(&text, "code", "", "")
	fset.BoolVar(&person, "person", false, "")
	fset.Var(&before, "before", "")
	pos, code, ok := e.parseBundleArgs(fset, args, 1, "one DRAFT file")
	if !ok {
		return code
	}
	if !e.require("bundle revoke", "code", text) {
		return exitUsage
	}
	if before.set && !person {
		e.errorf("bundle revoke: --before goes with --person")
		return exitUsage
	}
	c, err := codec.Decode(strings.TrimSpace(text))
	if err != nil {
		e.errorf("bundle revoke: --code: %s", detail(err))
		return exitUsage
	}
	b, err := bundledraft.Read(pos[0])
	if err != nil {
		e.errorf("bundle revoke: %v", err)
		return exitUsage
	}
	if person {
		t := before.time(e.now).Truncate(time.Second)
		if err := b.RevokePerson(c.Claims.Identity, t); err != nil {
			e.errorf("bundle revoke: %v", err)
			return exitUsage
		}
		e.infof("revoked every code of this person (same identity hash) issued before %s", local(t))
	} else {
		b.RevokeCode(c)
		e.infof("revoked code %x (kid %s)", c.Claims.Serial[:], c.KeyID.String())
	}
	if err := bundledraft.Write(pos[0], b); err != nil {
		e.errorf("bundle revoke: %v", err)
		return exitUsage
	}
	e.hintf("devices see it once you sign and publish: offcode bundle sign --key root.key %s bundle.cbor", pos[0])
	return exitOK
}

func runBundleSign(e *env, args []string) int {
	fset := newFlagSet("bundle sign")
	var keyPath, deltaFrom, deltaOut string
	valid := 30 * 24 * time.Hour
	fset.StringVar(&keyPath, "key", "", "")
	fset.DurationVar(&valid, "valid", valid, "")
	fset.StringVar(&deltaFrom, "delta-from", "", "")
	fset.StringVar(&deltaOut, "delta-out", "", "")
	pos, code, ok := e.parseBundleArgs(fset, args, 2, "DRAFT and OUT files")
	if !ok {
		return code
	}
	if !e.require("bundle sign", "key", keyPath) {
		return exitUsage
	}
	if (deltaFrom == "") != (deltaOut == "") {
		e.errorf("bundle sign: --delta-from and --delta-out go together")
		return exitUsage
	}
	if valid < time.Second {
		e.errorf("bundle sign: --valid %v is too short", valid)
		return exitUsage
	}
	root, err := bundledraft.LoadRootKey(keyPath)
	if err != nil {
		e.errorf("bundle sign: %v", err)
		if errors.Is(err, fs.ErrNotExist) {
			e.hintf("make one with: offcode root keygen --key %s --pub root.pub", keyPath)
		}
		return exitUsage
	}
	b, err := bundledraft.Read(pos[0])
	if err != nil {
		e.errorf("bundle sign: %v", err)
		return exitUsage
	}
	now := e.now().Truncate(time.Second).UTC()
	b.IssuedAt, b.ExpiresAt = now, now.Add(valid.Truncate(time.Second))
	var from *bundle.Bundle
	if deltaFrom != "" {
		f, err := bundledraft.ReadFile(deltaFrom, root.Public())
		if err == nil {
			from = f.Bundle
		}
		if err != nil {
			e.errorf("bundle sign: --delta-from: %v", err)
			return exitUsage
		}
	}
	signed, err := bundle.Sign(b, root)
	if err != nil {
		e.errorf("bundle sign: %v", err)
		return exitUsage
	}
	if err := atomicfile.WriteFile(pos[1], signed, 0o644); err != nil {
		e.errorf("bundle sign: %v", err)
		return exitUsage
	}
	codes, people := b.Revocations()
	e.infof("signed %s: sequence %d, %s, revoked %s and %s, expires %s, %d bytes",
		pos[1], b.Sequence, plural(len(b.Keys), "key"), plural(codes, "code"), pluralPeople(people), local(b.ExpiresAt), len(signed))
	if from != nil {
		d, err := bundle.NewDelta(from, b)
		var ds []byte
		if err == nil {
			ds, err = bundle.Sign(d, root)
		}
		if err == nil {
			err = atomicfile.WriteFile(deltaOut, ds, 0o644)
		}
		if err != nil {
			e.errorf("bundle sign: delta: %v", err)
			return exitUsage
		}
		e.infof("signed %s: delta since %d, %d bytes", deltaOut, from.Sequence, len(ds))
	}
	b.Sequence++
	if err := bundledraft.Write(pos[0], b); err != nil {
		e.errorf("bundle sign: updating the draft's sequence: %v", err)
		e.hintf("the signed bundle was written; raise the draft's sequence before signing again")
		return exitUsage
	}
	return exitOK
}

func (e *env) rootFlag(path string) ([]ed25519.PublicKey, bool) {
	if path == "" {
		return nil, true
	}
	pub, err := loadRootPub(path)
	if err != nil {
		e.errorf("%v", err)
		return nil, false
	}
	return []ed25519.PublicKey{pub}, true
}

func runBundleShow(e *env, args []string) int {
	fset := newFlagSet("bundle show")
	var rootPath string
	var at atFlag
	fset.StringVar(&rootPath, "root", "", "")
	fset.Var(&at, "at", "")
	pos, code, ok := e.parseBundleArgs(fset, args, 1, "one bundle FILE")
	if !ok {
		return code
	}
	roots, ok := e.rootFlag(rootPath)
	if !ok {
		return exitUsage
	}
	l, err := bundledraft.ReadFile(pos[0], roots...)
	if err != nil {
		e.errorf("bundle show: %s", detailBundle(err))
		return exitRejected
	}
	b, now := l.Bundle, at.time(e.now).Truncate(time.Second)
	var s strings.Builder
	kind := "draft (unsigned)"
	if l.Signed {
		kind = "signed trust bundle"
		if b.Delta != nil {
			kind = "signed delta bundle"
		}
	}
	fmt.Fprintf(&s, "%s: %s, %d bytes\n", pos[0], kind, l.Size)
	if l.Signed {
		if l.Verified {
			fmt.Fprintf(&s, "  signature   OK, root %s\n", l.Root.String())
		} else {
			fmt.Fprintf(&s, "  signature   NOT CHECKED (root %s; pass --root to check it)\n", l.Root.String())
		}
	}
	if l.Signed {
		fmt.Fprintf(&s, "  sequence    %d\n", b.Sequence)
		fmt.Fprintf(&s, "  issued      %s\n", local(b.IssuedAt))
		if now.After(b.ExpiresAt) {
			fmt.Fprintf(&s, "  expires     %s (EXPIRED %s ago: devices report the trust data stale)\n", local(b.ExpiresAt), span(now.Sub(b.ExpiresAt)))
		} else {
			fmt.Fprintf(&s, "  expires     %s (%s left)\n", local(b.ExpiresAt), span(b.ExpiresAt.Sub(now)))
		}
	} else {
		fmt.Fprintf(&s, "  sequence    %d (the next sign uses it)\n", b.Sequence)
	}
	codes, people := b.Revocations()
	if d := b.Delta; d != nil {
		rc, rp, err := bundledraft.DeltaRemovals(b)
		if err != nil {
			e.errorf("bundle show: %v", err)
			return exitRejected
		}
		fmt.Fprintf(&s, "  delta       since %d: +%d/-%d codes, +%d/-%d people\n", d.Since, codes, rc, people, rp)
	} else {
		fmt.Fprintf(&s, "  revoked     %s, %s\n", plural(codes, "code"), pluralPeople(people))
	}
	fmt.Fprintf(&s, "  keys        %d\n", len(b.Keys))
	for _, k := range b.Keys {
		fmt.Fprintf(&s, "    %s  %-11s  codes issued %s to %s  %s", k.KeyID.String(), k.Status,
			local(k.NotBefore), local(k.NotAfter), bundleKinds(k.Kinds))
		if k.Issuer != "" {
			fmt.Fprintf(&s, "  %q", k.Issuer)
		}
		s.WriteByte('\n')
	}
	fmt.Fprint(e.stdout, s.String())
	return exitOK
}

func pluralPeople(n int) string {
	if n == 1 {
		return "1 person"
	}
	return fmt.Sprintf("%d people", n)
}

func bundleKinds(ks []codec.Kind) string {
	parts := make([]string, len(ks))
	for i, k := range ks {
		parts[i] = k.String()
	}
	return strings.Join(parts, ",")
}

func runBundleDiff(e *env, args []string) int {
	fset := newFlagSet("bundle diff")
	var rootPath string
	fset.StringVar(&rootPath, "root", "", "")
	pos, code, ok := e.parseBundleArgs(fset, args, 2, "OLD and NEW bundle files")
	if !ok {
		return code
	}
	roots, ok := e.rootFlag(rootPath)
	if !ok {
		return exitUsage
	}
	var bs [2]*bundle.Bundle
	for i, p := range pos {
		l, err := bundledraft.ReadFile(p, roots...)
		if err != nil {
			e.errorf("bundle diff: %s", detailBundle(err))
			return exitRejected
		}
		if l.Bundle.Delta != nil {
			e.errorf("bundle diff: %s is a delta bundle; diff full bundles", p)
			return exitUsage
		}
		bs[i] = l.Bundle
	}
	a, b := bs[0], bs[1]
	var s strings.Builder
	fmt.Fprintf(&s, "sequence %d -> %d\n", a.Sequence, b.Sequence)
	if !a.ExpiresAt.Equal(b.ExpiresAt) {
		fmt.Fprintf(&s, "expires  %s -> %s\n", local(a.ExpiresAt), local(b.ExpiresAt))
	}
	describe := func(k *bundle.Key) string {
		return fmt.Sprintf("%s, codes issued %s to %s, %s", k.Status, local(k.NotBefore), local(k.NotAfter), bundleKinds(k.Kinds))
	}
	c, err := bundledraft.Diff(a, b)
	if err != nil {
		e.errorf("bundle diff: %v", err)
		return exitRejected
	}
	for _, kc := range c.Keys {
		switch {
		case kc.New == nil:
			fmt.Fprintf(&s, "- key %s (%s)\n", kc.Old.KeyID.String(), describe(kc.Old))
		case kc.Old == nil:
			fmt.Fprintf(&s, "+ key %s (%s)\n", kc.New.KeyID.String(), describe(kc.New))
		default:
			fmt.Fprintf(&s, "~ key %s: %s -> %s\n", kc.Old.KeyID.String(), describe(kc.Old), describe(kc.New))
		}
	}
	codes, people := b.Revocations()
	fmt.Fprintf(&s, "revoked codes   +%d -%d (now %d)\n", c.AddedSerials, c.RemovedSerials, codes)
	fmt.Fprintf(&s, "revoked people  +%d -%d (now %d)\n", c.AddedPeople, c.RemovedPeople, people)
	if a.Sequence >= b.Sequence {
		fmt.Fprintf(&s, "warning: NEW does not have a higher sequence; devices holding OLD refuse it (rollback)\n")
	}
	fmt.Fprint(e.stdout, s.String())
	return exitOK
}
