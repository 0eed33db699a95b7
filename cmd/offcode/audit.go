package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/offcode/offcode/internal/service"
	"github.com/offcode/offcode/internal/store"
)

const auditUsage = `Export the signing service's audit trail: every code it issued.

Usage:
    offcode audit --db FILE|URL [--since RFC3339] [--json] [--identity --secret FILE]

Opens the store read-only (safe while the service runs; it never creates
one) and prints one line per issued code, oldest first: sequence number,
issue and expiry times, colour, kind, serial, key ID, the token that asked,
and the request ID. With --json, one JSON object per line, adding the
binding of a kinship code. No ID number is stored, so none is printed.

The person (HMAC of the ID number) and the identity hash a code carries are
left out: an identity hash can be cracked back to an ID number. --identity
adds them; it needs --secret, since the store keeps them sealed under the
service secret.

Options:
    --db FILE|URL      the service's store: a SQLite file or a postgres:// URL
    --since RFC3339    only codes issued at or after this time
    --json             JSON lines
    --identity         add person and identity (with --json; needs --secret)
    --secret FILE      the service secret

Examples:
    $ offcode audit --db offcode.db --since 2026-11-23T00:00:00+08:00
    $ offcode audit --db offcode.db --json | jq -r .serial
`

func runAudit(ctx context.Context, e *env, args []string) int {
	fset := newFlagSet("audit")
	var dbPath string
	var since atFlag
	var asJSON, withID bool
	var secretPath string
	fset.StringVar(&dbPath, "db", "", "")
	fset.BoolVar(&withID, "identity", false, "")
	fset.StringVar(&secretPath, "secret", "", "")
	fset.Var(&since, "since", "")
	fset.BoolVar(&asJSON, "json", false, "")
	pos, code, ok := e.parseArgs(fset, auditUsage, args)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		e.errorf("audit: unexpected argument %q", pos[0])
		e.hintf("run \"offcode help audit\" for its options and examples")
		return exitUsage
	}
	if !e.require("audit", "db", dbPath) {
		return exitUsage
	}
	opt := store.Options{ReadOnly: true}
	if withID {
		if !asJSON || secretPath == "" {
			e.errorf("audit: --identity needs --json and --secret")
			return exitUsage
		}
		secret, err := service.LoadSecret(secretPath)
		if err != nil {
			e.errorf("audit: %s", plainErr(err))
			return exitUsage
		}
		opt.Secret = secret
	}
	st, err := store.Open(ctx, dbPath, opt)
	if err != nil {
		e.errorf("audit: %s", plainErr(err))
		if errors.Is(err, fs.ErrNotExist) {
			e.hintf("give the store offcode serve uses (--db; default offcode.db beside the key)")
		}
		return exitUsage
	}
	defer st.Close()
	q := store.AuditQuery{Limit: 5000}
	if since.set {
		q.Since = since.t
	}
	enc := json.NewEncoder(e.stdout)
	n := 0
	for {
		recs, err := st.Audit(ctx, q)
		if err != nil {
			e.errorf("audit: %s", plainErr(err))
			return exitUsage
		}
		for i := range recs {
			r := service.NewAuditRecord(&recs[i], withID)
			if asJSON {
				enc.Encode(r)
			} else {
				fmt.Fprintf(e.stdout, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Seq,
					recs[i].IssuedAt.Format(time.RFC3339), recs[i].ExpiresAt.Format(time.RFC3339),
					r.Colour, r.Kind, r.Serial, r.KeyID, r.Token, r.RequestID)
			}
		}
		n += len(recs)
		if len(recs) < q.Limit {
			break
		}
		q.After = recs[len(recs)-1].Seq
	}
	e.infof("%d codes", n)
	return exitOK
}
