package deploy_test

import (
	"slices"
	"testing"
)

// TestNamespacedChartCanStoreRotatedRefreshTokens: with watchNamespaces the
// manager ClusterRole is bound only in the watched namespaces, yet the live
// manager writes rotated refresh tokens back to the credentials Secret in the
// release namespace (--credentials-secret). The chart grants exactly that
// Secret there; without the grant every rotation fails to be stored and the
// token expires 90 days after it was issued.
func TestNamespacedChartCanStoreRotatedRefreshTokens(t *testing.T) {
	live := map[string]any{"url": "https://api.partnercenter.microsoft.com", "partnerDomain": "partner.example"}
	for _, tc := range []struct {
		name   string
		values map[string]any
		grant  bool
	}{
		{"namespaced, live", map[string]any{"watchNamespaces": []any{"team-a"}, "partnerCenter": live}, true},
		{"namespaced, live, release namespace watched", map[string]any{"watchNamespaces": []any{"team-a", "pco"}, "partnerCenter": live}, false},
		{"namespaced, simulator", map[string]any{"watchNamespaces": []any{"team-a"}}, false},
		{"cluster-wide, live", map[string]any{"partnerCenter": live}, false},
	} {
		objs, err := renderChart("pco", tc.values)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var role map[string]any
		for _, o := range objs {
			if o.GetKind() == "Role" && o.GetNamespace() == "pco" && o.GetName() == "partnercenter-operator-credentials-role" {
				role = o.Object
			}
		}
		if (role != nil) != tc.grant {
			t.Errorf("%s: credentials Role rendered %v, want %v", tc.name, role != nil, tc.grant)
			continue
		}
		if role == nil {
			continue
		}
		rules, _ := role["rules"].([]any)
		secretRule, _ := rules[0].(map[string]any)
		names, _ := secretRule["resourceNames"].([]any)
		verbs, _ := secretRule["verbs"].([]any)
		if !slices.Equal(names, []any{"partnercenter-credentials"}) || !slices.Contains(verbs, any("get")) || !slices.Contains(verbs, any("update")) {
			t.Errorf("%s: the Role grants %v, want get and update on Secret partnercenter-credentials only", tc.name, secretRule)
		}
	}
}
