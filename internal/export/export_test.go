package export

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/pcsim"
	"github.com/cspforge/partnercenter-operator/internal/testenv"
)

// seededSimulator starts the simulator over HTTP with the control API, seeds
// book through it, and returns the server and the operator's client for it.
func seededSimulator(t *testing.T, cfg pcsim.Config, book pcsim.Book) (*pcsim.Server, *partnercenter.Client) {
	t.Helper()
	cfg.EnableControlAPI = true
	server, err := pcsim.NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(server.Close)
	if _, err := pcsim.SeedOverHTTP(context.Background(), server.URL(), book); err != nil {
		t.Fatal(err)
	}
	pc, err := testenv.PartnerCenterClient(server)
	if err != nil {
		t.Fatal(err)
	}
	return server, pc
}

// built is the kustomize build of dir: every object, by kind.
func built(t *testing.T, dir string) map[string][]map[string]any {
	t.Helper()
	resources, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		t.Fatalf("kustomize build %s: %v", dir, err)
	}
	byKind := map[string][]map[string]any{}
	for _, r := range resources.Resources() {
		m, err := r.Map()
		if err != nil {
			t.Fatal(err)
		}
		byKind[r.GetKind()] = append(byKind[r.GetKind()], m)
	}
	return byKind
}

func TestExportWritesTheBookAsAKustomizeTreeOfObserveObjects(t *testing.T) {
	book := pcsim.SampleBook(pcsim.BookSize{Customers: 30, Subscriptions: 70, Resellers: 2, MCAEvery: 4})
	server, pc := seededSimulator(t, pcsim.Config{}, book)
	dir := t.TempDir()
	writes := server.Sim.WriteCalls()
	summary, err := Run(context.Background(), pc, Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if summary.Customers != 30 || summary.Subscriptions != 70 || summary.Resellers != 2 || summary.Agreements != 30 {
		t.Fatalf("summary %+v, want 30 customers, 70 subscriptions, 2 resellers, 30 agreements", summary)
	}
	if server.Sim.WriteCalls() != writes {
		t.Fatal("the export wrote to Partner Center")
	}
	objects := built(t, dir)
	for kind, want := range map[string]int{"Customer": 30, "Subscription": 70, "ResellerPartnership": 2, "MCAAttestation": 30} {
		if got := len(objects[kind]); got != want {
			t.Fatalf("kustomize build has %d %s, want %d", got, kind, want)
		}
	}
	names := map[string]bool{}
	for kind, list := range objects {
		for _, obj := range list {
			name := obj["metadata"].(map[string]any)["name"].(string)
			if names[kind+"/"+name] {
				t.Fatalf("two %s named %s", kind, name)
			}
			names[kind+"/"+name] = true
			if policy := obj["spec"].(map[string]any)["managementPolicy"]; policy != string(v1alpha1.ManagementPolicyObserve) {
				t.Fatalf("%s %s has managementPolicy %v", kind, name, policy)
			}
		}
	}
	for _, c := range objects["Customer"] {
		if _, err := os.Stat(filepath.Join(dir, customersDir, c["metadata"].(map[string]any)["name"].(string), kustomizationFile)); err != nil {
			t.Fatalf("a customer folder has no kustomization.yaml: %v", err)
		}
	}
	attested := 0
	for _, m := range objects["MCAAttestation"] {
		if m["spec"].(map[string]any)["method"] == string(v1alpha1.MethodPartnerAttestation) {
			attested++
		}
	}
	if attested != 8 { // customers 0, 4, ..., 28
		t.Fatalf("%d partner attestations exported, want 8", attested)
	}

	again := t.TempDir()
	if _, err := Run(context.Background(), pc, Options{Dir: again}); err != nil {
		t.Fatal(err)
	}
	if a, b := tree(t, dir), tree(t, again); a != b {
		t.Fatal("two exports of the same book differ: names or content are not stable")
	}
	if _, err := os.Stat(filepath.Join(dir, progressFile)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a complete export left its progress file: %v", err)
	}
}

func TestExportWithManageWritesManageObjects(t *testing.T) {
	_, pc := seededSimulator(t, pcsim.Config{}, pcsim.SampleBook(pcsim.BookSize{Customers: 2, Subscriptions: 2}))
	dir := t.TempDir()
	if _, err := Run(context.Background(), pc, Options{Dir: dir, Manage: true}); err != nil {
		t.Fatal(err)
	}
	for kind, list := range built(t, dir) {
		for _, obj := range list {
			if policy := obj["spec"].(map[string]any)["managementPolicy"]; policy != string(v1alpha1.ManagementPolicyManage) {
				t.Fatalf("%s has managementPolicy %v with --manage", kind, policy)
			}
		}
	}
}

func TestExportFilters(t *testing.T) {
	book := pcsim.SampleBook(pcsim.BookSize{Customers: 12, Subscriptions: 24, Resellers: 2})
	book.Customers[5].CompanyName = "Zeta Unique Holdings"
	seeded := func(t *testing.T) *partnercenter.Client { _, pc := seededSimulator(t, pcsim.Config{}, book); return pc }
	for _, tc := range []struct {
		name                                string
		filter                              Filter
		customers, subscriptions, resellers int
	}{
		{"by reseller MPN ID: its customers (0, 6) and itself", Filter{Reseller: book.Resellers[0].MPNID}, 2, 4, 1},
		{"by reseller name", Filter{Reseller: "Reseller 02"}, 2, 4, 1},
		{"by customer name, any case", Filter{Customer: "zeta unique"}, 1, 2, 2},
		{"by offer prefix: only its subscriptions and customers that have one", Filter{Offer: "CFQ7TTC0LH18"}, 6, 6, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			summary, err := Run(context.Background(), seeded(t), Options{Dir: dir, Filter: tc.filter})
			if err != nil {
				t.Fatal(err)
			}
			objects := built(t, dir)
			if len(objects["Customer"]) != tc.customers || len(objects["Subscription"]) != tc.subscriptions || len(objects["ResellerPartnership"]) != tc.resellers {
				t.Fatalf("%d customers, %d subscriptions, %d resellers (summary %+v); want %d, %d, %d", len(objects["Customer"]),
					len(objects["Subscription"]), len(objects["ResellerPartnership"]), summary, tc.customers, tc.subscriptions, tc.resellers)
			}
		})
	}
}

// interrupting is Partner Center that cancels the export once it has read
// the subscriptions of `after` customers, as a Ctrl-C would, and counts reads.
type interrupting struct {
	PartnerCenter
	after  int32
	reads  atomic.Int32
	cancel context.CancelFunc
}

func (p *interrupting) ListSubscriptions(ctx context.Context, customerID string) ([]wire.Subscription, error) {
	if n := p.reads.Add(1); p.cancel != nil && n > p.after {
		p.cancel()
		return nil, context.Canceled
	}
	return p.PartnerCenter.ListSubscriptions(ctx, customerID)
}

func TestAnInterruptedExportResumesWhereItStopped(t *testing.T) {
	_, pc := seededSimulator(t, pcsim.Config{}, pcsim.SampleBook(pcsim.BookSize{Customers: 40, Subscriptions: 80, MCAEvery: 3}))
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	first := &interrupting{PartnerCenter: pc, after: 10, cancel: cancel}
	if _, err := Run(ctx, first, Options{Dir: dir, Workers: 1}); err == nil {
		t.Fatal("the interrupted export reported success")
	}
	raw, err := os.ReadFile(filepath.Join(dir, progressFile))
	if err != nil {
		t.Fatal(err)
	}
	written := len(strings.Fields(string(raw)))
	if written != 10 {
		t.Fatalf("%d customers recorded as written before the interruption, want 10", written)
	}

	second := &interrupting{PartnerCenter: pc}
	summary, err := Run(context.Background(), second, Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if got := int(second.reads.Load()); got != 40-written {
		t.Fatalf("the resumed export read %d customers' subscriptions, want only the %d not written", got, 40-written)
	}
	if summary.Resumed != written || summary.Customers != 40 || summary.Subscriptions != 80 {
		t.Fatalf("summary %+v, want 40 customers (%d resumed), 80 subscriptions", summary, written)
	}
	if got := len(built(t, dir)["Customer"]); got != 40 {
		t.Fatalf("the resumed export has %d customers, want 40", got)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, customersDir, "*.tmp")); len(leftovers) > 0 {
		t.Fatalf("half-written folders left behind: %v", leftovers)
	}
}

func TestExportWaitsOutThrottling(t *testing.T) {
	server, pc := seededSimulator(t, pcsim.Config{ThrottleRate: 0.25, RetryAfter: time.Second, Seed: 7}, pcsim.SampleBook(pcsim.BookSize{Customers: 8, Subscriptions: 16}))
	counting := &countingThrottles{PartnerCenter: pc}
	// One worker: the simulator's draws come in a fixed order, so it throttles the same calls every run.
	summary, err := Run(context.Background(), counting, Options{Dir: t.TempDir(), Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if summary.Customers != 8 || summary.Subscriptions != 16 {
		t.Fatalf("summary %+v", summary)
	}
	if counting.throttled.Load() == 0 {
		t.Fatal("the simulator never throttled a subscriptions read: the test proves nothing")
	}
	if v := server.Sim.ThrottleViolations(); v != 0 {
		t.Fatalf("%d calls came before the Retry-After the simulator asked for", v)
	}
}

// countingThrottles counts the 429s of subscription reads (the test client
// has inline retries off, so each reaches the export's own wait).
type countingThrottles struct {
	PartnerCenter
	throttled atomic.Int32
}

func (p *countingThrottles) ListSubscriptions(ctx context.Context, customerID string) ([]wire.Subscription, error) {
	subs, err := p.PartnerCenter.ListSubscriptions(ctx, customerID)
	if _, throttled := partnercenter.IsThrottled(err); throttled {
		p.throttled.Add(1)
	}
	return subs, err
}

// tree renders every file under dir (path and content), for comparing two exports.
func tree(t *testing.T, dir string) string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		files = append(files, rel+"\n"+string(raw))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	return strings.Join(files, "\n---\n")
}
