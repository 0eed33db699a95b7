package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// lockedBuffer is an output safe for the service's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func liveEnv(stdout, stderr io.Writer) *env {
	return &env{stdin: strings.NewReader(""), stdout: stdout, stderr: stderr, now: time.Now, rand: rand.Reader,
		getenv: func(string) string { return "" }}
}

func runLive(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(context.Background(), liveEnv(&o, &e), args)
	return code, o.String(), e.String()
}

// TestServeDevDefaults starts "offcode serve" with no options in an empty
// directory, issues a code over HTTP with the printed token, verifies it
// with "offcode verify", adds a token, reloads with SIGHUP, rolls the key
// over, exports the audit trail, and stops the service.
func TestServeDevDefaults(t *testing.T) {
	t.Chdir(t.TempDir())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := startDevServe(ctx, t)
	status, body := s.post("/v1/codes", s.token, `{"id":"11010519491231002X","colour":"green"}`)
	var cr struct{ Code, Serial, Kid string }
	if status != 201 || json.Unmarshal(body, &cr) != nil {
		t.Fatalf("POST /v1/codes = %d %s", status, body)
	}
	if code, out, errOut := runLive(t, "verify", "--trust", "trust.json", "--id", "11010519491231002X", cr.Code); code != exitOK {
		t.Fatalf("offcode verify = exit %d: %s %s", code, out, errOut)
	}
	s.checkTokenReload(t)
	s.checkKeyRollover(t, cr.Code, cr.Kid)

	cancel()
	select {
	case code := <-s.done:
		if code != exitOK {
			t.Fatalf("serve exited %d after shutdown: %s", code, s.stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("serve did not stop")
	}
	if strings.Contains(s.stderr.String(), "11010519491231002X") || strings.Contains(s.stderr.String(), "PRIVATE KEY") {
		t.Fatalf("serve logged an ID number or the key")
	}
	checkDevAudit(t, cr.Serial)
	checkDevKeyRefused(t)
}

// devServe is an "offcode serve" started by startDevServe on its embedded
// defaults in the current directory.
type devServe struct {
	base, token string
	stderr      *lockedBuffer
	done        chan int
}

// startDevServe starts "offcode serve" and waits for its address and the
// development token, which it checks is printed once on stdout and never in
// the log, next to key, secret and token files of mode 0600.
func startDevServe(ctx context.Context, t *testing.T) *devServe {
	t.Helper()
	var stdout lockedBuffer
	s := &devServe{stderr: &lockedBuffer{}, done: make(chan int, 1)}
	go func() { s.done <- run(ctx, liveEnv(&stdout, s.stderr), []string{"serve", "--addr", "127.0.0.1:0"}) }()
	addrRE := regexp.MustCompile(`serving on (http://[0-9.:]+)`)
	for deadline := time.Now().Add(20 * time.Second); s.base == ""; {
		if m := addrRE.FindStringSubmatch(s.stderr.String()); m != nil {
			s.base = m[1]
			break
		}
		select {
		case code := <-s.done:
			t.Fatalf("serve exited %d: %s", code, s.stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start: %s", s.stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	token := regexp.MustCompile(`^(oc_[A-Za-z0-9_-]+)\n$`).FindStringSubmatch(stdout.String())
	if token == nil {
		t.Fatalf("serve printed no token on stdout: %q", stdout.String())
	}
	s.token = token[1]
	if strings.Contains(s.stderr.String(), s.token) {
		t.Fatalf("the development token is in the log: %s", s.stderr.String())
	}
	for _, f := range []string{"issuer.pem", "offcode.secret", "tokens.json"} {
		if fi, err := os.Stat(f); err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("%s: %v, mode %v, want 0600", f, err, fi.Mode())
		}
	}
	return s
}

// post sends body to path with the bearer token tok and returns the status
// and the response body.
func (s *devServe) post(path, tok, body string) (int, []byte) {
	req, _ := http.NewRequest("POST", s.base+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, []byte(err.Error())
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// checkTokenReload adds a token while serving and checks that it works
// after SIGHUP, not before, and that "token add" refuses a duplicate name
// and an unknown scope.
func (s *devServe) checkTokenReload(t *testing.T) {
	t.Helper()
	code, out, errOut := runLive(t, "token", "add", "auditor", "--scope", "audit", "--tokens", "tokens.json")
	if code != exitOK || len(strings.Fields(out)) != 1 || !strings.HasPrefix(strings.TrimSpace(out), "oc_") {
		t.Fatalf("token add = exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	auditor := strings.TrimSpace(out)
	get := func() int {
		req, _ := http.NewRequest("GET", s.base+"/v1/audit", nil)
		req.Header.Set("Authorization", "Bearer "+auditor)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := get(); got != 401 {
		t.Fatalf("new token before SIGHUP = %d, want 401", got)
	}
	syscall.Kill(os.Getpid(), syscall.SIGHUP)
	for deadline := time.Now().Add(5 * time.Second); get() != 200; {
		if time.Now().After(deadline) {
			t.Fatalf("new token not accepted after SIGHUP: %s", s.stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if code, _, errOut := runLive(t, "token", "add", "auditor", "--scope", "audit", "--tokens", "tokens.json"); code != exitUsage || !strings.Contains(errOut, "exists") {
		t.Fatalf("token add (same name) = exit %d, %s", code, errOut)
	}
	if code, _, errOut := runLive(t, "token", "add", "x", "--scope", "root", "--tokens", "tokens.json"); code != exitUsage || !strings.Contains(errOut, "unknown scope") {
		t.Fatalf("token add --scope root = exit %d, %s", code, errOut)
	}
}

// checkKeyRollover puts a new key (already in the trust store) in place
// of the key file: after SIGHUP new codes carry its kid and the old code
// (oldCode, signed under oldKid) still verifies.
func (s *devServe) checkKeyRollover(t *testing.T, oldCode, oldKid string) {
	t.Helper()
	if code, _, errOut := runLive(t, "keygen", "--key", "next.pem", "--trust", "trust.json"); code != exitOK {
		t.Fatalf("keygen next.pem = exit %d: %s", code, errOut)
	}
	if err := os.Rename("next.pem", "issuer.pem"); err != nil {
		t.Fatal(err)
	}
	syscall.Kill(os.Getpid(), syscall.SIGHUP)
	var cr2 struct{ Code, Kid string }
	for deadline := time.Now().Add(5 * time.Second); ; {
		status, body := s.post("/v1/codes", s.token, `{"id":"11010519491231002X","colour":"yellow"}`)
		if status != 201 || json.Unmarshal(body, &cr2) != nil {
			t.Fatalf("POST /v1/codes after rollover = %d %s", status, body)
		}
		if cr2.Kid != oldKid {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("kid still %s after SIGHUP with a new key: %s", oldKid, s.stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	for _, c := range []string{oldCode, cr2.Code} {
		if code, out, errOut := runLive(t, "verify", "--trust", "trust.json", c); code != exitOK {
			t.Fatalf("verify after rollover = exit %d: %s %s", code, out, errOut)
		}
	}
}

// checkDevAudit exports the audit trail of the stopped service: the record
// of serial and those after it, identities only with --identity --secret.
func checkDevAudit(t *testing.T, serial string) {
	t.Helper()
	code, out, errOut := runLive(t, "audit", "--db", "offcode.db", "--json")
	if code != exitOK || !strings.Contains(out, `"serial":"`+serial+`"`) || strings.Count(out, "\n") < 2 {
		t.Fatalf("audit --json = exit %d, %q, %q; want the record with serial %s and those after it", code, out, errOut, serial)
	}
	if strings.Contains(out, `"identity"`) || strings.Contains(out, `"person"`) {
		t.Fatalf("audit --json without --identity shows identities: %s", out)
	}
	code, out, errOut = runLive(t, "audit", "--db", "offcode.db", "--json", "--identity", "--secret", "offcode.secret")
	if code != exitOK || !strings.Contains(out, `"identity":"0`) {
		t.Fatalf("audit --json --identity = exit %d, %q, %q", code, out, errOut)
	}
	code, out, _ = runLive(t, "audit", "--db", "offcode.db", "--since", "2999-01-01T00:00:00Z")
	if code != exitOK || out != "" {
		t.Fatalf("audit --since 2999 = exit %d, %q, want nothing", code, out)
	}
}

// checkDevKeyRefused checks that the service refuses to start with a key
// file others can read, or a key file that does not exist.
func checkDevKeyRefused(t *testing.T) {
	t.Helper()
	os.Chmod("issuer.pem", 0o644)
	code, _, errOut := runLive(t, "serve", "--addr", "127.0.0.1:0")
	if code != exitUsage || !strings.Contains(errOut, "0600") {
		t.Fatalf("serve with key mode 0644 = exit %d, %q; want exit 2 naming 0600", code, errOut)
	}
	os.Chmod("issuer.pem", 0o600)
	code, _, errOut = runLive(t, "serve", "--key", "missing.pem")
	if code != exitUsage || !strings.Contains(errOut, "does not exist") {
		t.Fatalf("serve --key missing.pem = exit %d, %q", code, errOut)
	}
}

// TestServeBadAddrCreatesNothing: an address that does not parse, or a
// busy port, fails before any file is made or a token printed.
func TestServeBadAddrCreatesNothing(t *testing.T) {
	t.Chdir(t.TempDir())
	code, out, errOut := runLive(t, "serve", "--addr", "0.0.0.0:abc")
	if code != exitUsage || out != "" || !strings.Contains(errOut, "abc") {
		t.Fatalf("serve --addr 0.0.0.0:abc = exit %d, %q, %q", code, out, errOut)
	}
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	code, out, errOut = runLive(t, "serve", "--addr", busy.Addr().String())
	if code != exitUsage || out != "" || !strings.Contains(errOut, "hint: another process") {
		t.Fatalf("serve on a busy port = exit %d, %q, %q", code, out, errOut)
	}
	if ents, _ := os.ReadDir("."); len(ents) != 0 {
		t.Fatalf("failed serve left files: %v", ents)
	}
}

// TestAuditMissingStore: audit --db on a file that does not exist says so
// and creates nothing.
func TestAuditMissingStore(t *testing.T) {
	t.Chdir(t.TempDir())
	code, _, errOut := runLive(t, "audit", "--db", "nonexist.db")
	if code != exitUsage || !strings.Contains(errOut, "no such file") {
		t.Fatalf("audit --db nonexist.db = exit %d, %q", code, errOut)
	}
	if _, err := os.Stat("nonexist.db"); !os.IsNotExist(err) {
		t.Fatalf("audit created nonexist.db")
	}
}

// TestServeMetricsAddr: with --metrics-addr, /metrics is served there and
// not on the API address.
func TestServeMetricsAddr(t *testing.T) {
	t.Chdir(t.TempDir())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, liveEnv(&stdout, &stderr), []string{"serve", "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0"})
	}()
	re := regexp.MustCompile(`serving on (http://[0-9.:]+)[\s\S]*metrics on (http://[0-9.:]+)/metrics`)
	var m []string
	for deadline := time.Now().Add(20 * time.Second); m == nil; time.Sleep(10 * time.Millisecond) {
		m = re.FindStringSubmatch(stderr.String())
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start: %s", stderr.String())
		}
	}
	status := func(url string) int {
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := status(m[1] + "/metrics"); got != 404 {
		t.Fatalf("GET /metrics on the API address = %d, want 404", got)
	}
	if got := status(m[2] + "/metrics"); got != 200 {
		t.Fatalf("GET /metrics on --metrics-addr = %d, want 200", got)
	}
	cancel()
	if code := <-done; code != exitOK {
		t.Fatalf("serve exited %d: %s", code, stderr.String())
	}
}
