package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/config"
	"github.com/cspforge/partnercenter-operator/internal/validation"
)

// benchOperator is the configuration the harness runs the manager with.
var benchOperator = config.Operator{Role: config.RoleIndirectProvider, PartnerDomain: "partner.example"}

// validate runs the operator's own admission rules on a workload object:
// an object the controllers would refuse would never become Ready.
func validate(obj client.Object) []string {
	var msgs []string
	switch o := obj.(type) {
	case *v1alpha1.Customer:
		if errs, _ := validation.Customer(o, benchOperator); len(errs) > 0 {
			msgs = append(msgs, errs.ToAggregate().Error())
		}
	case *v1alpha1.MCAAttestation:
		if errs := validation.MCAAttestation(o, benchOperator, time.Now()); len(errs) > 0 {
			msgs = append(msgs, errs.ToAggregate().Error())
		}
	case *v1alpha1.Subscription:
		if errs := validation.Subscription(o, benchOperator); len(errs) > 0 {
			msgs = append(msgs, errs.ToAggregate().Error())
		}
	case *v1alpha1.ResellerPartnership:
		if errs := validation.ResellerPartnership(o, benchOperator); len(errs) > 0 {
			msgs = append(msgs, errs.ToAggregate().Error())
		}
	}
	return msgs
}

func TestWorkload(t *testing.T) {
	for _, tc := range []struct {
		n                                        int
		resellers, customers, attestations, subs int
	}{
		{250, 3, 250, 250, 250},
		{100, 1, 100, 100, 100},
		{1, 1, 1, 1, 1},
	} {
		t.Run(fmt.Sprint(tc.n), func(t *testing.T) {
			w := NewWorkload(tc.n, false)
			got := []int{w.resellers(), w.count(KindCustomer), w.count(KindMCAAttestation), w.count(KindSubscription)}
			want := []int{tc.resellers, tc.customers, tc.attestations, tc.subs}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("objects per kind %v = %v, want %v", allKinds, got, want)
				}
			}
			names := map[objectKey]bool{}
			domains := map[string]bool{}
			for _, obj := range w.Objects {
				id := objectKey{kindOf(obj), obj.GetName()}
				if names[id] {
					t.Fatalf("%v appears twice", id)
				}
				names[id] = true
				if msgs := validate(obj); len(msgs) > 0 {
					t.Fatalf("%v breaks a rule: %v", id, msgs)
				}
				c, ok := obj.(*v1alpha1.Customer)
				if !ok {
					continue
				}
				if domains[c.Spec.Domain] {
					t.Fatalf("domain %s used twice", c.Spec.Domain)
				}
				domains[c.Spec.Domain] = true
				if ref := c.Spec.IndirectResellerRef; ref == nil || !names[objectKey{KindResellerPartnership, ref.Name}] {
					t.Fatalf("%s: reseller ref %v names no ResellerPartnership created before it", c.Name, ref)
				}
			}
		})
	}
}

func TestWorkloadAsKubectlApplyLeavesIt(t *testing.T) {
	for _, lastApplied := range []bool{false, true} {
		for _, obj := range NewWorkload(2, lastApplied).Objects {
			raw, found := obj.GetAnnotations()[corev1.LastAppliedConfigAnnotation]
			if found != lastApplied {
				t.Fatalf("lastApplied=%v: %s has the annotation: %v", lastApplied, obj.GetName(), found)
			}
			if !found {
				continue
			}
			var applied metav1.PartialObjectMetadata
			if err := json.Unmarshal([]byte(raw), &applied); err != nil || applied.Name != obj.GetName() {
				t.Fatalf("%s's last-applied configuration is not the object: %v, %q", obj.GetName(), err, applied.Name)
			}
		}
	}
}

func TestCountRequests(t *testing.T) {
	base := time.Date(2026, 11, 23, 3, 0, 0, 0, time.UTC)
	line := func(user, verb, resource, sub string, code int, at time.Duration) string {
		return `{"verb":"` + verb + `","user":{"username":"` + user + `"},"objectRef":{"resource":"` + resource + `","subresource":"` + sub +
			`"},"responseStatus":{"code":` + itoa(code) + `},"requestReceivedTimestamp":"` + base.Add(at).Format(time.RFC3339Nano) + `"}`
	}
	log := []string{
		line(userManager, "get", "customers", "", 200, time.Second),
		line(userManager, "patch", "customers", "status", 200, 2*time.Second),
		line(userManager, "patch", "customers", "status", 409, 3*time.Second),
		line(userManager, "create", "events", "", 201, 4*time.Second),
		line(userFloor, "patch", "customers", "status", 200, 2*time.Second),
		line(userManager, "update", "secrets", "", 200, 11*time.Second),
	}
	path := filepath.Join(t.TempDir(), "audit.log")
	if err := os.WriteFile(path, []byte(joinLines(log)), 0o600); err != nil {
		t.Fatal(err)
	}
	counts, err := CountRequests(path, userManager, Window{base, base.Add(10 * time.Second)}, Window{base.Add(10 * time.Second), base.Add(20 * time.Second)})
	if err != nil {
		t.Fatal(err)
	}
	converge, idle := counts[0], counts[1]
	if converge.Total != 4 || converge.TotalWrites != 3 || converge.objectWrites() != 2 || converge.Conflicts != 1 {
		t.Errorf("converge window = %+v, want 4 requests, 3 writes (2 without events), 1 conflict", converge)
	}
	if converge.Writes["patch customers/status"] != 2 {
		t.Errorf("status patches = %d, want 2", converge.Writes["patch customers/status"])
	}
	if idle.TotalWrites != 1 || idle.Writes["update secrets"] != 1 {
		t.Errorf("idle window = %+v, want the one Secret update", idle)
	}
}

func TestSummarize(t *testing.T) {
	var ds []time.Duration
	for i := 1; i <= 100; i++ {
		ds = append(ds, time.Duration(i)*time.Second)
	}
	l := summarize(ds, 120)
	if l.P50Seconds != 50 || l.P95Seconds != 95 || l.MaxSeconds != 100 || l.Ready != 100 || l.Of != 120 {
		t.Errorf("summarize = %+v, want p50 50 s, p95 95 s, max 100 s, 100 of 120 Ready", l)
	}
}

func itoa(n int) string { return fmt.Sprint(n) }

func joinLines(lines []string) string { return strings.Join(lines, "\n") + "\n" }

func TestWriteSummary(t *testing.T) {
	dir := t.TempDir()
	run := func(name string, n int, wall float64, floor *RunFigures) *Result {
		r := &Result{Name: name, N: n, Manager: &RunFigures{Converged: true, WallSeconds: wall, PartnerCenterTotal: 7 * n, PartnerCenterMinimal: 6 * n,
			Objects: map[Kind]int{KindCustomer: n}}, Floor: floor}
		if floor != nil {
			r.computeRatios()
		}
		if err := r.write(dir); err != nil {
			t.Fatal(err)
		}
		return r
	}
	run("n1000", 1000, 90, &RunFigures{WallSeconds: 60})
	run("n100-throttled", 100, 300, nil)
	if err := WriteSummary(dir); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	got := string(raw)
	for _, want := range []string{"[n100-throttled](n100-throttled.md)", "[n1000](n1000.md)", "| 1.50 |", "| 1.17 |", "90.0 s (60.0 s)"} {
		if !strings.Contains(got, want) {
			t.Errorf("summary lacks %q:\n%s", want, got)
		}
	}
	if strings.Index(got, "n100-throttled") > strings.Index(got, "[n1000]") {
		t.Errorf("runs are not ordered by N:\n%s", got)
	}
}

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		values []float64
		want   float64
	}{
		{nil, 0},
		{[]float64{1.67}, 1.67},
		{[]float64{2.5, 1.25, 1.75}, 1.75},
		{[]float64{2.0, 1.0, 4.0, 1.5}, 1.75},
	} {
		if got := median(tc.values); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.values, got, tc.want)
		}
	}
}

func TestRoundsGiveTheMedianWallRatio(t *testing.T) {
	r := &Result{Name: "n1000", N: 1000, Manager: &RunFigures{Converged: true, WallSeconds: 60, Objects: map[Kind]int{KindCustomer: 1000}}, Floor: &RunFigures{WallSeconds: 40}}
	r.addRound(r.Manager, r.Floor)
	r.addRound(&RunFigures{Converged: true, WallSeconds: 90}, &RunFigures{WallSeconds: 30})
	r.addRound(&RunFigures{Converged: false, WallSeconds: 50}, &RunFigures{WallSeconds: 40})
	r.computeRatios()
	if r.Ratios.Wall != 1.5 || r.Ratios.WallMedian != 1.5 {
		t.Fatalf("wall ratio %v, median %v: want round 1's 1.50 and the median of 1.50, 3.00, 1.25 = 1.50", r.Ratios.Wall, r.Ratios.WallMedian)
	}
	r.Rounds[0].ManagerWallSeconds = 100 // round 1 at 2.50: now the middle one of 2.50, 3.00, 1.25
	r.computeRatios()
	if r.Ratios.WallMedian != 2.5 {
		t.Errorf("median of 2.50, 3.00, 1.25 = %v, want 2.50", r.Ratios.WallMedian)
	}
	want := "2.50 (median of 3 rounds: 2.50, 3.00, 1.25)"
	if got := r.wallRatioCell(); got != want {
		t.Errorf("wallRatioCell = %q, want %q", got, want)
	}
	if md := r.Markdown(); !strings.Contains(md, "Median manager/floor wall time: **2.50**") || !strings.Contains(md, "| 2 | 90.0 s | 30.0 s | 3.00 |") ||
		!strings.Contains(md, "| 3 | 50.0 s (timeout: not converged) | 40.0 s | 1.25 |") {
		t.Errorf("the markdown lacks the rounds:\n%s", md)
	}
}

func TestParseMachineCPU(t *testing.T) {
	for _, tc := range []struct {
		name        string
		stat        string
		busy, total float64
		wantErr     bool
	}{
		// user nice system idle iowait irq softirq steal guest guest_nice
		{name: "busy is everything but idle and iowait", stat: "cpu  1000 50 300 8000 100 20 30 0 400 0\ncpu0 500 25 150 4000 50 10 15 0 200 0\n", busy: 14, total: 95},
		{name: "steal counts as busy", stat: "cpu 100 0 0 100 0 0 0 100 0 0\n", busy: 2, total: 3},
		{name: "a per-core line is not the machine", stat: "cpu0 1 2 3 4 5 6 7 8\n", wantErr: true},
		{name: "too few fields", stat: "cpu 1 2 3\n", wantErr: true},
		{name: "not a number", stat: "cpu 1 2 x 4 5 6 7 8\n", wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			busy, total, err := parseMachineCPU(tc.stat)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want an error: %v", err, tc.wantErr)
			}
			if busy != tc.busy || total != tc.total {
				t.Errorf("busy %v s of %v s, want %v of %v", busy, total, tc.busy, tc.total)
			}
		})
	}
}

func TestMachineCPUIsReportedPerRunAndRound(t *testing.T) {
	r := &Result{Name: "n1000", N: 1000, Machine: Machine{Cores: 2},
		Manager: &RunFigures{Converged: true, WallSeconds: 80, MachineCPU: &MachineCPU{BusySeconds: 156, Share: 0.975}, Objects: map[Kind]int{KindCustomer: 1000}},
		Floor:   &RunFigures{WallSeconds: 40, MachineCPU: &MachineCPU{BusySeconds: 78, Share: 0.5}}}
	r.addRound(r.Manager, r.Floor)
	r.addRound(&RunFigures{Converged: true, WallSeconds: 90}, &RunFigures{WallSeconds: 30}) // measured before the figure existed
	r.computeRatios()
	if r.Ratios.MachineBusy != 2 {
		t.Errorf("machine busy ratio %v, want 156 / 78 = 2", r.Ratios.MachineBusy)
	}
	md := r.Markdown()
	for _, want := range []string{
		"| machine CPU busy while converging, all processes | 156.0 s (98 % of its 2 cores) | 78.0 s (50 % of its 2 cores) | 2.00 |",
		"| 1 | 80.0 s | 40.0 s | 2.00 | 0.0 s / 0.0 s | 98 % / 50 % |",
		"| 2 | 90.0 s | 30.0 s | 3.00 | 0.0 s / 0.0 s | – |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the markdown lacks %q:\n%s", want, md)
		}
	}
}
