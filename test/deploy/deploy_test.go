package deploy_test

import (
	"context"
	"fmt"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// The operator's namespace as config/default renders it.
const operatorNamespace = "partnercenter-operator-system"

// liveURL is the real Partner Center endpoint.
const liveURL = "https://api.partnercenter.microsoft.com"

// The user's edits of config/default that pick the other options.
var (
	useCertManager = configEdit{"default/kustomization.yaml", "- ../selfmanagedcerts\n", "- ../certmanager\n"}
	useServiceMon  = configEdit{"default/kustomization.yaml", "#- ../prometheus\n", "- ../prometheus\n"}
	useNetworkPol  = configEdit{"default/kustomization.yaml", "#- ../networkpolicy\n", "- ../networkpolicy\n"}
	// The partner domain config/live leaves for the user to set.
	setPartnerDom = configEdit{"live/manager_live_patch.yaml",
		"#- op: add\n#  path: /spec/template/spec/containers/0/args/-\n#  value: --partner-domain=<your e-mail domain>\n",
		"- op: add\n  path: /spec/template/spec/containers/0/args/-\n  value: --partner-domain=contoso-partner.com\n"}
)

// rendering is one way to deploy the operator.
type rendering struct {
	name      string
	render    func() ([]*unstructured.Unstructured, error)
	namespace string // created by the test (Helm's release namespace); "" when rendered
	certMode  string
	live      bool
	// workloadIdentity is the client ID the rendering federates ("" : client secret).
	workloadIdentity string
	// watched are the namespaces of --watch-namespaces (nil: every namespace);
	// the test creates them.
	watched []string
	// networkPolicy tells whether the rendering has the manager's NetworkPolicy.
	networkPolicy bool
	// args are manager arguments the rendering must pass (besides the ones every rendering checks).
	args []string
}

var renderings = []rendering{
	{name: "config/default (self-managed certificates)", certMode: "self-managed",
		render: func() ([]*unstructured.Unstructured, error) { return renderKustomize("default") }},
	{name: "config/default with cert-manager and the ServiceMonitor", certMode: "cert-manager",
		render: func() ([]*unstructured.Unstructured, error) {
			return renderKustomize("default", useCertManager, useServiceMon)
		}},
	{name: "config/live (self-managed certificates)", certMode: "self-managed", live: true,
		render: func() ([]*unstructured.Unstructured, error) { return renderKustomize("live", setPartnerDom) }},
	{name: "config/live with cert-manager", certMode: "cert-manager", live: true,
		render: func() ([]*unstructured.Unstructured, error) {
			return renderKustomize("live", useCertManager, setPartnerDom)
		}},
	{name: "config/namespaced with the NetworkPolicy", certMode: "self-managed", watched: []string{"customers"}, networkPolicy: true,
		render: func() ([]*unstructured.Unstructured, error) { return renderKustomize("namespaced", useNetworkPol) }},
	{name: "Helm chart defaults", certMode: "self-managed", namespace: "pco-helm-default",
		args:   []string{"--change-feed-interval=1m", "--resync-budget-share=0.25", "--partner-center-group-limits=documented"},
		render: func() ([]*unstructured.Unstructured, error) { return renderChart("pco-helm-default", nil) }},
	{name: "Helm chart live with cert-manager, ServiceMonitor and tuned limits", certMode: "cert-manager", live: true, namespace: "pco-helm-live",
		args: []string{"--resync-period=2h", "--partner-center-qps=2", "--partner-center-burst=4", "--change-feed-interval=5m",
			"--resync-budget-share=0.5", "--partner-center-group-limits=customers=300/1m,orders=300/1m"},
		render: func() ([]*unstructured.Unstructured, error) {
			return renderChart("pco-helm-live", map[string]any{
				"partnerCenter": map[string]any{"url": liveURL, "role": "IndirectProvider", "partnerDomain": "partner.example",
					"credentialsSecret": "pc-creds", "resyncPeriod": "2h", "changeFeedInterval": "5m", "resyncBudgetShare": 0.5,
					"rateLimit": map[string]any{"qps": 2, "burst": 4, "groupLimits": "customers=300/1m,orders=300/1m"}},
				"webhook":    map[string]any{"certMode": "cert-manager"},
				"prometheus": map[string]any{"enable": true},
			})
		}},
	{name: "Helm chart, a second release: namespaced, NetworkPolicy, two replicas", certMode: "self-managed", namespace: "pco-helm-ns",
		watched: []string{"team-a", "team-b"}, networkPolicy: true,
		render: func() ([]*unstructured.Unstructured, error) {
			return renderRelease("second", "pco-helm-ns", map[string]any{
				"watchNamespaces": []any{"team-a", "team-b"}, "networkPolicy": map[string]any{"enable": true}, "replicas": 2,
			})
		}},
	{name: "Helm chart live with workload identity", certMode: "self-managed", live: true, namespace: "pco-helm-wi", workloadIdentity: "0f3b-app-id",
		render: func() ([]*unstructured.Unstructured, error) {
			return renderChart("pco-helm-wi", map[string]any{
				"partnerCenter": map[string]any{"url": liveURL, "partnerDomain": "contoso-partner.com", "workloadIdentity": map[string]any{"clientID": "0f3b-app-id"}},
			})
		}},
}

var _ = Describe("Deploying the operator", func() {
	for _, r := range renderings {
		Context(r.name, func() {
			var objs []*unstructured.Unstructured
			BeforeEach(func() {
				var err error
				objs, err = r.render()
				Expect(err).NotTo(HaveOccurred())
			})

			It("is accepted by the API server (CRDs installed, everything else server-side dry-run applied)", func(ctx context.Context) {
				applied, errs := applyAll(ctx, objs, r.namespace, r.watched)
				Expect(errs).To(BeEmpty())
				Expect(applied).To(BeNumerically(">=", 12), "the Deployment, RBAC, Services and webhook configuration at least")
				Expect(find(objs, "CustomResourceDefinition")).To(HaveLen(4))
			})

			It("runs a manager pod the restricted Pod Security Standard admits", func(ctx context.Context) {
				_, errs := applyAll(ctx, objs, r.namespace, r.watched)
				Expect(errs).To(BeEmpty())
				m := manager(objs)
				if r.namespace == "" { // kustomize renders the namespace, labelled
					ns := byKey(objs, "Namespace//"+m.Namespace)
					Expect(ns).NotTo(BeNil())
					Expect(ns.GetLabels()).To(HaveKeyWithValue("pod-security.kubernetes.io/enforce", "restricted"))
				}
				Expect(admittedUnderRestricted(ctx, m)).To(Succeed())
			})

			It("grants the manager's rules cluster-wide, or only in the watched namespaces", func() {
				m := manager(objs)
				role := m.Name[:len(m.Name)-len("controller-manager")] + "manager-role"
				Expect(byKey(objs, "ClusterRole//"+role)).NotTo(BeNil())
				var bound []string
				for _, b := range append(find(objs, "ClusterRoleBinding"), find(objs, "RoleBinding")...) {
					if ref, _, _ := unstructured.NestedString(b.Object, "roleRef", "name"); ref == role {
						bound = append(bound, b.GetKind()+"/"+b.GetNamespace())
					}
				}
				args := m.Spec.Template.Spec.Containers[0].Args
				if r.watched == nil {
					Expect(bound).To(ConsistOf("ClusterRoleBinding/"))
					Expect(strings.Join(args, " ")).NotTo(ContainSubstring("--watch-namespaces"))
					return
				}
				var want []string
				for _, ns := range r.watched {
					want = append(want, "RoleBinding/"+ns)
				}
				Expect(bound).To(ConsistOf(want))
				Expect(args).To(ContainElement("--watch-namespaces=" + strings.Join(r.watched, ",")))
			})

			It("has a NetworkPolicy (egress DNS and HTTPS, ingress webhook and metrics) when asked for", func() {
				policies := find(objs, "NetworkPolicy")
				if !r.networkPolicy {
					Expect(policies).To(BeEmpty())
					return
				}
				Expect(policies).To(HaveLen(1))
				np := &networkingv1.NetworkPolicy{}
				Expect(runtime.DefaultUnstructuredConverter.FromUnstructured(policies[0].Object, np)).To(Succeed())
				m := manager(objs)
				Expect(np.Namespace).To(Equal(m.Namespace))
				Expect(labels.SelectorFromSet(np.Spec.PodSelector.MatchLabels).Matches(labels.Set(m.Spec.Template.Labels))).To(BeTrue())
				Expect(np.Spec.PolicyTypes).To(ConsistOf(networkingv1.PolicyTypeIngress, networkingv1.PolicyTypeEgress))
				Expect(ports(np.Spec.Ingress[0].Ports)).To(ConsistOf("TCP/9443", "TCP/8443"))
				var egress []string
				for _, rule := range np.Spec.Egress {
					Expect(rule.To).To(BeEmpty(), "any destination: Partner Center and the API server are outside the cluster's pod network")
					egress = append(egress, ports(rule.Ports)...)
				}
				Expect(egress).To(ConsistOf("UDP/53", "TCP/53", "TCP/443", "TCP/6443"))
			})

			It("runs a hardened manager: non-root, read-only root, limits, probes, leader election", func() {
				m := manager(objs)
				Expect(*m.Spec.Template.Spec.SecurityContext.RunAsNonRoot).To(BeTrue())
				c := m.Spec.Template.Spec.Containers[0]
				Expect(*c.SecurityContext.ReadOnlyRootFilesystem).To(BeTrue())
				Expect(*c.SecurityContext.AllowPrivilegeEscalation).To(BeFalse())
				Expect(c.SecurityContext.Capabilities.Drop).To(ContainElement(corev1.Capability("ALL")))
				Expect(c.Resources.Requests).To(HaveKey(corev1.ResourceMemory))
				Expect(c.Resources.Limits).To(HaveKey(corev1.ResourceMemory))
				Expect(c.LivenessProbe.HTTPGet.Path).To(Equal("/healthz"))
				Expect(c.ReadinessProbe.HTTPGet.Path).To(Equal("/readyz"))
				Expect(c.Args).To(ContainElement("--leader-elect"))
				Expect(c.Args).NotTo(ContainElement("--enable-webhooks=false"), "webhooks are on")
			})

			It("passes the manager the arguments its values set", func() {
				Expect(manager(objs).Spec.Template.Spec.Containers[0].Args).To(ContainElements(r.args))
			})

			It("wires the webhook certificate of its mode to the names it renders", func() {
				expectCertWiring(objs, r.certMode)
			})

			It("talks to the built-in simulator, or to Partner Center with the mounted credentials when live", func() {
				c := manager(objs).Spec.Template.Spec.Containers[0]
				if !r.live {
					Expect(strings.Join(c.Args, " ")).NotTo(ContainSubstring("--partner-center-url"))
					return
				}
				Expect(c.Args).To(ContainElement("--partner-center-url=" + liveURL))
				Expect(c.Args).To(ContainElement(HavePrefix("--partner-domain=")), "the manager does not start live without it")
				Expect(c.Args).To(ContainElement("--credentials-dir=/etc/partnercenter/credentials"))
				secret := mountedSecret(manager(objs), "/etc/partnercenter/credentials")
				Expect(secret).NotTo(BeEmpty())
				Expect(c.Args).To(ContainElement("--credentials-secret="+manager(objs).Namespace+"/"+secret),
					"the rotated refresh token is written back to the mounted Secret")
			})

			It("authenticates with the Azure workload identity only when a client ID is given", func() {
				m := manager(objs)
				sa := byKey(objs, "ServiceAccount/"+m.Namespace+"/"+m.Spec.Template.Spec.ServiceAccountName)
				Expect(sa).NotTo(BeNil())
				if r.workloadIdentity == "" {
					Expect(m.Spec.Template.Labels).NotTo(HaveKey("azure.workload.identity/use"))
					Expect(m.Spec.Template.Spec.Containers[0].Args).NotTo(ContainElement("--workload-identity"))
					return
				}
				Expect(m.Spec.Template.Labels).To(HaveKeyWithValue("azure.workload.identity/use", "true"))
				Expect(sa.GetAnnotations()).To(HaveKeyWithValue("azure.workload.identity/client-id", r.workloadIdentity))
				Expect(m.Spec.Template.Spec.Containers[0].Args).To(ContainElement("--workload-identity"))
				for _, v := range m.Spec.Template.Spec.Volumes {
					if v.Name == "credentials" {
						Expect(v.Secret.Optional).To(HaveValue(BeTrue()), "the Secret is optional with workload identity")
					}
				}
			})
		})
	}

	It("the Helm chart renders what config/default renders (same objects, CRDs, RBAC rules, webhooks, flags)", func() {
		kustomized, err := renderKustomize("default")
		Expect(err).NotTo(HaveOccurred())
		charted, err := renderChart(operatorNamespace, nil)
		Expect(err).NotTo(HaveOccurred())

		Expect(objectKeys(charted)).To(Equal(slices.DeleteFunc(objectKeys(kustomized), func(k string) bool {
			return strings.HasPrefix(k, "Namespace/") // Helm installs into an existing namespace
		})))
		for _, k := range kustomized {
			if k.GetKind() == "Namespace" {
				continue
			}
			h := byKey(charted, key(k))
			switch k.GetKind() {
			case "CustomResourceDefinition":
				Expect(withoutKeepAnnotation(h)["spec"]).To(Equal(k.Object["spec"]), key(k))
				Expect(withoutKeepAnnotation(h)["metadata"].(map[string]any)["annotations"]).
					To(Equal(k.Object["metadata"].(map[string]any)["annotations"]), key(k))
			case "ClusterRole", "Role":
				Expect(h.Object["rules"]).To(Equal(k.Object["rules"]), key(k))
			case "ValidatingWebhookConfiguration":
				Expect(h.Object["webhooks"]).To(Equal(k.Object["webhooks"]), key(k))
			}
		}
		Expect(manager(charted).Spec.Template.Spec.Containers[0].Args).
			To(ContainElements(manager(kustomized).Spec.Template.Spec.Containers[0].Args))
	})
})

var _ = It("leaves config/live's partner domain to the user: no placeholder that could pass unnoticed", func() {
	objs, err := renderKustomize("live")
	Expect(err).NotTo(HaveOccurred())
	Expect(strings.Join(manager(objs).Spec.Template.Spec.Containers[0].Args, " ")).NotTo(ContainSubstring("--partner-domain"))
})

var _ = It("ships the same alerts with kustomize's ServiceMonitor and the chart's (Helm leaves Prometheus's templates alone)", func() {
	kustomized, err := renderKustomize("default", useServiceMon)
	Expect(err).NotTo(HaveOccurred())
	charted, err := renderChart(operatorNamespace, map[string]any{"prometheus": map[string]any{"enable": true}})
	Expect(err).NotTo(HaveOccurred())
	k, h := find(kustomized, "PrometheusRule"), find(charted, "PrometheusRule")
	Expect(k).To(HaveLen(1))
	Expect(h).To(HaveLen(1))
	Expect(h[0].Object["spec"]).To(Equal(k[0].Object["spec"]))
	Expect(fmt.Sprint(h[0].Object["spec"])).To(ContainSubstring("{{ $labels.operation }}"))
})

// ports renders NetworkPolicy ports as "TCP/443".
func ports(ps []networkingv1.NetworkPolicyPort) []string {
	var out []string
	for _, p := range ps {
		out = append(out, string(*p.Protocol)+"/"+p.Port.String())
	}
	return out
}

// admittedUnderRestricted creates (dry run) a pod from the manager's template
// in its namespace, labelled restricted: the API server's Pod Security
// admission refuses it if it breaks the restricted standard.
func admittedUnderRestricted(ctx context.Context, m *appsv1.Deployment) error {
	ns := &corev1.Namespace{}
	if err := k8s.Get(ctx, client.ObjectKey{Name: m.Namespace}, ns); err != nil {
		return err
	}
	if ns.Labels["pod-security.kubernetes.io/enforce"] != "restricted" {
		ns.Labels = map[string]string{"pod-security.kubernetes.io/enforce": "restricted"}
		if err := k8s.Update(ctx, ns); err != nil {
			return err
		}
	}
	// The pod's service account must exist for the pod to be admitted at all.
	sa := &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Namespace: m.Namespace, Name: m.Spec.Template.Spec.ServiceAccountName}}
	if err := k8s.Create(ctx, sa); err != nil && !apierrors.IsAlreadyExists(err) {
		return err
	}
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: m.Namespace, GenerateName: "manager-", Labels: m.Spec.Template.Labels},
		Spec: m.Spec.Template.Spec}
	return k8s.Create(ctx, pod, client.DryRunAll)
}

// expectCertWiring checks that the flags, the mounted Secret and the
// certificate objects of a certificate mode name the objects that exist.
func expectCertWiring(objs []*unstructured.Unstructured, mode string) {
	m := manager(objs)
	args := m.Spec.Template.Spec.Containers[0].Args
	Expect(args).To(ContainElement("--webhook-cert-mode=" + mode))
	certSecret := mountedSecret(m, "/tmp/k8s-webhook-server/serving-certs")
	Expect(certSecret).NotTo(BeEmpty())

	svcs := find(objs, "Service")
	webhookSvc := byName(svcs, strings.TrimSuffix(m.Name, "controller-manager")+"webhook-service")
	Expect(webhookSvc).NotTo(BeNil())
	vwc := find(objs, "ValidatingWebhookConfiguration")
	Expect(vwc).To(HaveLen(1))
	webhooks, _, _ := unstructured.NestedSlice(vwc[0].Object, "webhooks")
	Expect(webhooks).To(HaveLen(4))
	for _, w := range webhooks {
		svc, _, _ := unstructured.NestedStringMap(w.(map[string]any), "clientConfig", "service")
		Expect(svc).To(HaveKeyWithValue("name", webhookSvc.GetName()))
		Expect(svc).To(HaveKeyWithValue("namespace", webhookSvc.GetNamespace()))
	}
	dnsName := webhookSvc.GetName() + "." + webhookSvc.GetNamespace() + ".svc"

	switch mode {
	case "self-managed":
		secret := byName(find(objs, "Secret"), certSecret)
		Expect(secret).NotTo(BeNil(), "the empty Secret the rotator fills is deployed")
		Expect(args).To(ContainElements(
			"--webhook-cert-secret="+certSecret,
			"--webhook-service="+webhookSvc.GetName(),
			"--webhook-configuration="+vwc[0].GetName()))
		Expect(find(objs, "Certificate")).To(BeEmpty())
		Expect(rbacResourceNames(objs, "secrets")).To(ContainElement(certSecret))
		Expect(rbacResourceNames(objs, "validatingwebhookconfigurations")).To(ContainElement(vwc[0].GetName()))
	case "cert-manager":
		certs := find(objs, "Certificate")
		Expect(certs).To(HaveLen(1))
		cert := certs[0]
		Expect(vwc[0].GetAnnotations()).To(HaveKeyWithValue("cert-manager.io/inject-ca-from", cert.GetNamespace()+"/"+cert.GetName()))
		secretName, _, _ := unstructured.NestedString(cert.Object, "spec", "secretName")
		Expect(secretName).To(Equal(certSecret))
		dnsNames, _, _ := unstructured.NestedStringSlice(cert.Object, "spec", "dnsNames")
		Expect(dnsNames).To(ContainElement(dnsName))
		issuer, _, _ := unstructured.NestedString(cert.Object, "spec", "issuerRef", "name")
		Expect(byName(find(objs, "Issuer"), issuer)).NotTo(BeNil(), "issuerRef names the deployed Issuer")
		Expect(rbacResourceNames(objs, "validatingwebhookconfigurations")).To(BeEmpty(), "no rotator RBAC")
	default:
		Fail("unknown certificate mode " + mode)
	}
}

// manager is the rendered manager Deployment.
func manager(objs []*unstructured.Unstructured) *appsv1.Deployment {
	deployments := find(objs, "Deployment")
	Expect(deployments).To(HaveLen(1))
	d := &appsv1.Deployment{}
	Expect(runtime.DefaultUnstructuredConverter.FromUnstructured(deployments[0].Object, d)).To(Succeed())
	return d
}

// mountedSecret is the Secret mounted at path in the manager container.
func mountedSecret(d *appsv1.Deployment, path string) string {
	for _, m := range d.Spec.Template.Spec.Containers[0].VolumeMounts {
		if m.MountPath != path {
			continue
		}
		for _, v := range d.Spec.Template.Spec.Volumes {
			if v.Name == m.Name && v.Secret != nil {
				return v.Secret.SecretName
			}
		}
	}
	return ""
}

// rbacResourceNames are the resourceNames granted on a resource by any
// Role or ClusterRole.
func rbacResourceNames(objs []*unstructured.Unstructured, resource string) []string {
	var names []string
	for _, role := range append(find(objs, "Role"), find(objs, "ClusterRole")...) {
		rules, _, _ := unstructured.NestedSlice(role.Object, "rules")
		for _, r := range rules {
			resources, _, _ := unstructured.NestedStringSlice(r.(map[string]any), "resources")
			if slices.Contains(resources, resource) {
				rn, _, _ := unstructured.NestedStringSlice(r.(map[string]any), "resourceNames")
				names = append(names, rn...)
			}
		}
	}
	return names
}

// key identifies an object within a rendering.
func key(o *unstructured.Unstructured) string {
	return o.GetKind() + "/" + o.GetNamespace() + "/" + o.GetName()
}

// objectKeys are the sorted keys of a rendering.
func objectKeys(objs []*unstructured.Unstructured) []string {
	keys := make([]string, 0, len(objs))
	for _, o := range objs {
		keys = append(keys, key(o))
	}
	slices.Sort(keys)
	return keys
}

// byKey is the object with the key, nil if none.
func byKey(objs []*unstructured.Unstructured, k string) *unstructured.Unstructured {
	for _, o := range objs {
		if key(o) == k {
			return o
		}
	}
	return nil
}

// byName is the object with the name, nil if none.
func byName(objs []*unstructured.Unstructured, name string) *unstructured.Unstructured {
	for _, o := range objs {
		if o.GetName() == name {
			return o
		}
	}
	return nil
}

// withoutKeepAnnotation is a CRD without the chart's helm.sh/resource-policy.
func withoutKeepAnnotation(crd *unstructured.Unstructured) map[string]any {
	c := crd.DeepCopy()
	annotations := c.GetAnnotations()
	delete(annotations, "helm.sh/resource-policy")
	c.SetAnnotations(annotations)
	return c.Object
}
