package partnercenter

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
)

// seenRequest is what the fake server recorded about one request.
type seenRequest struct {
	Method string
	Path   string
	Query  map[string][]string
	Header http.Header
	Body   []byte
	At     time.Time
}

// reply is one scripted response.
type reply struct {
	status int
	header map[string]string
	body   string
}

// fakeServer replays scripted replies in order (the last one repeats) and records requests.
type fakeServer struct {
	*httptest.Server
	mu      sync.Mutex
	replies []reply
	seen    []seenRequest
}

func newFakeServer(t *testing.T, replies ...reply) *fakeServer {
	t.Helper()
	f := &fakeServer{replies: replies}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeServer) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.seen = append(f.seen, seenRequest{Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.Query(), Header: r.Header.Clone(), Body: body, At: time.Now()})
	rep := f.replies[0]
	if len(f.replies) > 1 {
		f.replies = f.replies[1:]
	}
	f.mu.Unlock()
	for k, v := range rep.header {
		w.Header().Set(k, v)
	}
	if rep.body != "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(rep.status)
	_, _ = io.WriteString(w, rep.body)
}

func (f *fakeServer) requests() []seenRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]seenRequest(nil), f.seen...)
}

func (f *fakeServer) last(t *testing.T) seenRequest {
	t.Helper()
	reqs := f.requests()
	if len(reqs) == 0 {
		t.Fatal("server saw no request")
	}
	return reqs[len(reqs)-1]
}

const (
	testAppOnlyToken = "app-only-token-value"
	testAppUserToken = "app-user-token-value"
)

// newTestClient is a client with both credentials against base, with millisecond retry delays.
func newTestClient(t *testing.T, base string, mutate ...func(*Options)) *Client {
	t.Helper()
	opts := Options{
		BaseURL: base, ARMBaseURL: base,
		AppOnly: StaticTokenCredential(testAppOnlyToken), AppUser: StaticTokenCredential(testAppUserToken),
		ARM:        StaticTokenCredential("arm-token-value"),
		RetryDelay: time.Millisecond,
	}
	for _, m := range mutate {
		m(&opts)
	}
	c, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("fixture %s: %v", name, err)
	}
	return b
}

// keyPaths lists every object key path in a JSON document ("a.b", arrays as "a[].b").
func keyPaths(t testing.TB, raw []byte) []string {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("keyPaths: %v in %s", err, raw)
	}
	set := map[string]bool{}
	collectPaths(v, "", set)
	out := make([]string, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

func collectPaths(v any, prefix string, set map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, child := range x {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			set[p] = true
			collectPaths(child, p, set)
		}
	case []any:
		for _, child := range x {
			collectPaths(child, prefix+"[]", set)
		}
	}
}

// lowerCamelPath lower-cases the first letter of every segment: "CompanyProfile.Domain" → "companyProfile.domain".
func lowerCamelPath(p string) string {
	segs := strings.Split(p, ".")
	for i, s := range segs {
		if s != "" {
			r := []rune(s)
			r[0] = unicode.ToLower(r[0])
			segs[i] = string(r)
		}
	}
	return strings.Join(segs, ".")
}

// missing returns the entries of want absent from got.
func missing(want, got []string) []string {
	have := map[string]bool{}
	for _, g := range got {
		have[g] = true
	}
	var out []string
	for _, w := range want {
		if !have[w] {
			out = append(out, w)
		}
	}
	return out
}
