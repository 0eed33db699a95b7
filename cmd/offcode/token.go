package main

import (
	"context"
	"strings"

	"github.com/offcode/offcode/internal/service"
)

const tokenUsage = `Add an API token for the signing service.

Usage:
    offcode token add NAME --scope SCOPES --tokens FILE [--rate N] [--burst N]

Makes a random token, adds its SHA-256 hash (never the token) to the tokens
file with its name and scopes (created, mode 0600, if missing), and prints
the token once, as the last word of the output. Scopes are a comma-separated
list of issue (POST /v1/codes), bind (kinship bindings and their codes),
audit (GET /v1/audit, without identities), audit_identity (adds each code's
person and identity hash to the audit: grant it sparingly), revoke (POST and
GET /v1/revocations) and metrics (GET /metrics with serve --metrics-token).
A running service picks the new token up on SIGHUP.

Options:
    --scope SCOPES   issue, bind, audit, audit_identity, revoke, metrics,
                     comma-separated
    --tokens FILE    the tokens file
    --rate N         this token's requests per second (default: the service's)
    --burst N        this token's burst (default: the service's)

Examples:
    $ TOKEN=$(offcode token add backoffice --scope issue,bind --tokens tokens.json)
    offcode: added token "backoffice" (issue, bind) to tokens.json; it is shown only now
`

func runToken(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] != "add" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
			e.stdout.Write([]byte(tokenUsage))
			return exitOK
		}
		e.errorf("token: want \"offcode token add NAME --scope SCOPES --tokens FILE\"")
		e.hintf("run \"offcode help token\" for its options and examples")
		return exitUsage
	}
	fset := newFlagSet("token")
	var scopes, tokensPath string
	var rate float64
	var burst int
	fset.StringVar(&scopes, "scope", "", "")
	fset.StringVar(&tokensPath, "tokens", "", "")
	fset.Float64Var(&rate, "rate", 0, "")
	fset.IntVar(&burst, "burst", 0, "")
	pos, code, ok := e.parseArgs(fset, tokenUsage, args[1:])
	if !ok {
		return code
	}
	if len(pos) != 1 {
		e.errorf("token add: want one NAME, got %d arguments", len(pos))
		e.hintf("run \"offcode help token\" for its options and examples")
		return exitUsage
	}
	if !e.require("token", "scope", scopes, "tokens", tokensPath) {
		return exitUsage
	}
	sc, err := service.ParseScopes(scopes)
	if err != nil {
		e.errorf("token add: %s", plainErr(err))
		return exitUsage
	}
	if rate < 0 || burst < 0 {
		e.errorf("token add: --rate and --burst must not be negative")
		return exitUsage
	}
	secret, t, err := service.NewToken(e.rand, pos[0], sc)
	if err != nil {
		e.errorf("token add: %s", plainErr(err))
		return exitUsage
	}
	t.Rate, t.Burst = rate, burst
	if err := service.AddToken(tokensPath, t); err != nil {
		e.errorf("token add: %s", plainErr(err))
		return exitUsage
	}
	names := make([]string, len(sc))
	for i, s := range sc {
		names[i] = string(s)
	}
	e.infof("added token %q (%s) to %s; it is shown only now", t.Name, strings.Join(names, ", "), tokensPath)
	e.stdout.Write([]byte(secret + "\n"))
	return exitOK
}
