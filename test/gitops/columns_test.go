package gitops

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
)

// defaultColumns is what `kubectl get` prints for an object without -o
// wide: the API server's table, columns of priority 0 only, by name (a
// column with nothing to show is absent).
func defaultColumns(ctx context.Context, kind, namespace, name string) map[string]string {
	httpClient, err := rest.HTTPClientFor(testEnv.Config)
	Expect(err).NotTo(HaveOccurred())
	url := fmt.Sprintf("%s/apis/%s/namespaces/%s/%ss/%s", strings.TrimRight(testEnv.Config.Host, "/"),
		v1alpha1.GroupVersion, namespace, strings.ToLower(kind), name)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	Expect(err).NotTo(HaveOccurred())
	req.Header.Set("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io")
	resp, err := httpClient.Do(req)
	Expect(err).NotTo(HaveOccurred())
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	Expect(err).NotTo(HaveOccurred())
	Expect(resp.StatusCode).To(Equal(http.StatusOK), string(body))
	table := &metav1.Table{}
	Expect(json.Unmarshal(body, table)).To(Succeed())
	Expect(table.Rows).To(HaveLen(1))
	cells := map[string]string{}
	for i, col := range table.ColumnDefinitions {
		if cell := table.Rows[0].Cells[i]; col.Priority == 0 && cell != nil {
			cells[col.Name] = fmt.Sprint(cell)
		}
	}
	return cells
}

var _ = Describe("kubectl get", func() {
	// The Subscription's columns are being reworked elsewhere; the other
	// three kinds show a pause without -o wide.
	for _, kind := range []string{"Customer", "MCAAttestation", "ResellerPartnership"} {
		It(kind+" shows in its default columns that it is paused", func(ctx context.Context) {
			paused, ready := stored[kind+"/paused"], stored[kind+"/ready"]
			Expect(defaultColumns(ctx, kind, paused.GetNamespace(), paused.GetName())).To(HaveKeyWithValue("Paused", "True"))
			Expect(defaultColumns(ctx, kind, ready.GetNamespace(), ready.GetName())).To(HaveKey("Ready"))
			Expect(defaultColumns(ctx, kind, ready.GetNamespace(), ready.GetName())).To(Not(HaveKey("Paused")))
		})
	}
})
