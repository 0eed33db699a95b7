package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/offcode/offcode/service"
	"github.com/offcode/offcode/store"
)

const auditUsage = `Export the signing service's audit trail: every code it issued.

Usage:
    offcode audit --db FILE [--since RFC3339] [--json]

Opens the store read-only (safe while the service runs) and prints one line
per issued code, oldest first: sequence number, issue and expiry times,
colour, kind, serial, key ID, the token that asked, and the request ID.
With --json, one JSON object per line, adding the person (HMAC of the ID
number under the service secret), the identity hash and the binding of a
kinship code. No ID number is stored, so none is printed.

Options:
    --db FILE          the service's store
    --since RFC3339    only codes issued at or after this time
    --json             JSON lines

Examples:
    $ offcode audit --db offcode.db --since 2026-11-23T00:00:00+08:00
    $ offcode audit --db offcode.db --json | jq -r .serial
`

func runAudit(ctx context.Context, e *env, args []string) int {
	fset := newFlagSet("audit")
	var dbPath string
	var since atFlag
	var asJSON bool
	fset.StringVar(&dbPath, "db", "", "")
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
	st, err := store.Open(ctx, dbPath, store.Options{ReadOnly: true})
	if err != nil {
		e.errorf("audit: %s", plainErr(err))
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
			r := service.NewAuditRecord(&recs[i])
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
