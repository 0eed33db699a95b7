package service_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/offcode/offcode/internal/service"
	"github.com/offcode/offcode/internal/store"
	"github.com/offcode/offcode/sign"
)

// crashDirEnv names the directory of the server that TestCrashServer runs
// in a child process; crashDBEnv, if set, its store (a postgres:// URL);
// crashNameEnv names its address file (default addr).
const (
	crashDirEnv  = "OFFCODE_CRASH_SERVER_DIR"
	crashDBEnv   = "OFFCODE_CRASH_SERVER_DB"
	crashNameEnv = "OFFCODE_CRASH_SERVER_NAME"
)

// TestCrashServer is not a test: it is the server process that
// TestCrashSafety starts and kills. It does nothing in a normal run.
func TestCrashServer(t *testing.T) {
	dir := os.Getenv(crashDirEnv)
	if dir == "" {
		return
	}
	key, err := sign.LoadKeyFile(filepath.Join(dir, "issuer.pem"))
	if err != nil {
		t.Fatal(err)
	}
	secret, err := service.LoadSecret(filepath.Join(dir, "offcode.secret"))
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := service.LoadTokens(filepath.Join(dir, "tokens.json"))
	if err != nil {
		t.Fatal(err)
	}
	db := os.Getenv(crashDBEnv)
	if db == "" {
		db = filepath.Join(dir, "offcode.db")
	}
	name := os.Getenv(crashNameEnv)
	if name == "" {
		name = "addr"
	}
	st, err := store.Open(context.Background(), db, store.Options{Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := service.New(service.Config{Key: key, Secret: secret, Store: st, Tokens: tokens,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".tmp"), []byte(ln.Addr().String()), 0o600); err != nil {
		t.Fatal(err)
	}
	os.Rename(filepath.Join(dir, name+".tmp"), filepath.Join(dir, name))
	http.Serve(ln, svc.Handler()) // until killed
}

// TestCrashSafety issues codes from several clients, kills the server with
// SIGKILL in the middle, restarts it and checks that every code a client
// received (a 201 with its body read in full) is in the audit trail.
func TestCrashSafety(t *testing.T) {
	if os.Getenv(crashDirEnv) != "" {
		return
	}
	dir, token := crashSetup(t)
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	received := map[string]bool{}
	for round := range 2 {
		cmd, addr := startCrashServer(t, dir)
		t.Logf("round %d: server up at %v", round, time.Now().Format("15:04:05.000"))
		l := startLoad(client, token, []string{addr}, nil, nil)
		// Let the clients get going, then kill the server mid-load.
		l.waitFor(300, 10*time.Second)
		t.Logf("round %d: %d codes received at %v", round, l.count(), time.Now().Format("15:04:05.000"))
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()
		for s := range l.halt() {
			received[s] = true
		}
		client.CloseIdleConnections()
	}
	// Restart and read the whole trail over HTTP.
	cmd, addr := startCrashServer(t, dir)
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	audited := readAudit(t, client, addr, token)
	if len(received) < 300 {
		t.Fatalf("clients received only %d codes before the kills", len(received))
	}
	if missing := countMissing(received, audited); missing > 0 {
		t.Fatalf("%d of %d codes clients received are not in the audit trail", missing, len(received))
	}
	t.Logf("2 SIGKILLs under load: %d codes received by clients, all among the %d audit records", len(received), len(audited))
}

// crashSetup writes an issuer key, a service secret and a token with the
// issue and audit scopes into a new directory, for servers started by
// startCrashServer, and returns the directory and the token.
func crashSetup(t *testing.T) (dir, token string) {
	t.Helper()
	dir = t.TempDir()
	key, _ := sign.GenerateKey(rand.Reader)
	if err := sign.WriteKeyFile(filepath.Join(dir, "issuer.pem"), key); err != nil {
		t.Fatal(err)
	}
	if err := service.CreateSecret(filepath.Join(dir, "offcode.secret"), rand.Reader); err != nil {
		t.Fatal(err)
	}
	token, tok, _ := service.NewToken(rand.Reader, "load", []service.Scope{service.ScopeIssue, service.ScopeAudit})
	if err := service.AddToken(filepath.Join(dir, "tokens.json"), tok); err != nil {
		t.Fatal(err)
	}
	return dir, token
}

// issueLoad is 8 clients issuing codes until halted, client c to server
// addrs[c%len(addrs)], keeping the serial of every code received in full.
type issueLoad struct {
	mu       sync.Mutex
	received map[string]bool
	wg       sync.WaitGroup
	stop     chan struct{}
}

// startLoad starts the clients. A client whose request fails goes on,
// unless quit(addr) reports true; onCode, if not nil, is called with the
// server's address for every code received.
func startLoad(client *http.Client, token string, addrs []string, quit func(addr string) bool, onCode func(addr string)) *issueLoad {
	l := &issueLoad{received: map[string]bool{}, stop: make(chan struct{})}
	for c := range 8 {
		addr := addrs[c%len(addrs)]
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			for i := 0; ; i++ {
				select {
				case <-l.stop:
					return
				default:
				}
				serial, err := issueOne(client, token, addr, makeID("19700101", (c*137+i)%1000))
				if err != nil {
					if quit != nil && quit(addr) {
						return
					}
					continue // the server is gone, or the request was refused
				}
				l.mu.Lock()
				l.received[serial] = true
				l.mu.Unlock()
				if onCode != nil {
					onCode(addr)
				}
			}
		}()
	}
	return l
}

// issueOne posts one code request and returns the serial of the code,
// or an error unless the response is a 201 read in full.
func issueOne(client *http.Client, token, addr, id string) (string, error) {
	body := fmt.Sprintf(`{"id":%q,"colour":"green"}`, id)
	req, _ := http.NewRequest("POST", "http://"+addr+"/v1/codes", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return "", err
	}
	var cr service.CodeResponse
	if resp.StatusCode != 201 || json.Unmarshal(b, &cr) != nil || cr.Serial == "" {
		return "", fmt.Errorf("POST /v1/codes = %d", resp.StatusCode)
	}
	return cr.Serial, nil
}

// count returns the number of codes received so far.
func (l *issueLoad) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.received)
}

// waitFor waits until n codes were received or d has passed.
func (l *issueLoad) waitFor(n int, d time.Duration) {
	for deadline := time.Now().Add(d); l.count() < n && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
}

// halt stops the clients, waits for them and returns the serials received.
func (l *issueLoad) halt() map[string]bool {
	close(l.stop)
	l.wg.Wait()
	return l.received
}

// readAudit reads the whole audit trail from the server at addr, page by
// page, and returns the serials it holds.
func readAudit(t *testing.T, client *http.Client, addr, token string) map[string]bool {
	t.Helper()
	audited := map[string]bool{}
	for after := int64(0); ; {
		req, _ := http.NewRequest("GET", fmt.Sprintf("http://%s/v1/audit?after=%d&limit=5000", addr, after), nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var page service.AuditPage
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page.Records {
			audited[r.Serial] = true
		}
		if len(page.Records) < 5000 {
			return audited
		}
		after = page.Next
	}
}

// countMissing returns how many serials of received are not in audited.
func countMissing(received, audited map[string]bool) int {
	missing := 0
	for s := range received {
		if !audited[s] {
			missing++
		}
	}
	return missing
}

func startCrashServer(t *testing.T, dir string, env ...string) (*exec.Cmd, string) {
	t.Helper()
	name := "addr"
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, crashNameEnv+"="); ok {
			name = v
		}
	}
	os.Remove(filepath.Join(dir, name))
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashServer$", "-test.count=1")
	cmd.Env = append(append(os.Environ(), crashDirEnv+"="+dir), env...)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		if b, err := os.ReadFile(filepath.Join(dir, name)); err == nil {
			return cmd, string(b)
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("crash server did not start: %s", stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}
