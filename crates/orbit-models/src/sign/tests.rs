//! Symmetry tests of the sign-flip lab's models (docs/science.md §3 tolerances: sign < 1e-7,
//! permutation < 1e-6).

use burn::tensor::{Device, Tensor, TensorData};
use orbit_math::Rng;
use orbit_math::graph::{Graph, Laplacian, spectrum};

use super::*;

const K: usize = 6;

fn values(t: Tensor<2>) -> Vec<f32> {
    t.into_data().try_to_vec::<f32>().unwrap()
}

/// Largest difference relative to the largest entry (at least 1).
fn relative(a: &[f32], b: &[f32]) -> f64 {
    let scale = a.iter().fold(1f32, |m, v| m.max(v.abs()));
    let diff = a.iter().zip(b).fold(0f32, |m, (x, y)| m.max((x - y).abs()));
    f64::from(diff / scale)
}

/// A random graph, its first K non-trivial normalised-Laplacian eigenvectors as `[n, K]`.
fn setup(seed: u64) -> (Graph, Vec<f32>) {
    let g = Graph::erdos_renyi(30, 0.2, &mut Rng::new(seed));
    let s = spectrum(&g, Laplacian::Normalized);
    let n = g.n;
    let mut v = vec![0f32; n * K];
    for c in 0..K {
        for i in 0..n {
            v[i * K + c] = s.vectors[c + 1][i] as f32;
        }
    }
    (g, v)
}

fn tensor(v: &[f32], n: usize, device: &Device) -> Tensor<2> {
    Tensor::from_data(TensorData::new(v.to_vec(), [n, K]), device)
}

fn flip(v: &[f32], signs: &[f32]) -> Vec<f32> {
    v.iter()
        .enumerate()
        .map(|(i, x)| x * signs[i % K])
        .collect()
}

/// Rows permuted: `(PV)_{perm[i]} = V_i`, and the graph relabelled the same way.
fn permute(g: &Graph, v: &[f32], perm: &[usize]) -> (Graph, Vec<f32>) {
    let mut pv = vec![0f32; v.len()];
    for (i, &p) in perm.iter().enumerate() {
        pv[p * K..(p + 1) * K].copy_from_slice(&v[i * K..(i + 1) * K]);
    }
    let pg = Graph::new(g.n, g.edges.iter().map(|&(i, j)| (perm[i], perm[j])));
    (pg, pv)
}

fn unpermute(out: &[f32], perm: &[usize], width: usize) -> Vec<f32> {
    let mut back = vec![0f32; out.len()];
    for (i, &p) in perm.iter().enumerate() {
        back[i * width..(i + 1) * width].copy_from_slice(&out[p * width..(p + 1) * width]);
    }
    back
}

#[test]
fn sign_dss_is_sign_and_permutation_equivariant_and_its_link_scores_are_invariant() {
    let device = Device::flex();
    let model = SignDssConfig::new(K).init(3, &device);
    let mut rng = Rng::new(8);
    for seed in 0..3 {
        let (g, v) = setup(seed);
        let n = g.n;
        let gt = GraphTensors::new(&g, &device);
        let fv = values(model.forward(tensor(&v, n, &device), &gt));
        let signs: Vec<f32> = (0..K)
            .map(|_| if rng.uniform() < 0.5 { -1.0 } else { 1.0 })
            .collect();
        let f_vs = values(model.forward(tensor(&flip(&v, &signs), n, &device), &gt));
        let e = relative(&f_vs, &flip(&fv, &signs));
        assert!(e < 1e-7, "sign equivariance error {e}");
        let pairs: Vec<(usize, usize)> = g.edges.iter().take(40).copied().collect();
        let s1: Vec<f32> = pair_scores(tensor(&fv, n, &device), &pairs)
            .into_data()
            .try_to_vec()
            .unwrap();
        let s2: Vec<f32> = pair_scores(tensor(&f_vs, n, &device), &pairs)
            .into_data()
            .try_to_vec()
            .unwrap();
        assert!(relative(&s1, &s2) < 1e-6, "link scores change under a flip");
        let perm = rng.permutation(n);
        let (pg, pv) = permute(&g, &v, &perm);
        let out = values(model.forward(tensor(&pv, n, &device), &GraphTensors::new(&pg, &device)));
        let e = relative(&unpermute(&out, &perm, K), &fv);
        assert!(e < 1e-6, "permutation equivariance error {e}");
    }
}

#[test]
fn signnet_is_sign_invariant_and_the_row_mlp_is_neither() {
    let device = Device::flex();
    let (g, v) = setup(1);
    let n = g.n;
    let signs = [-1.0, 1.0, -1.0, -1.0, 1.0, 1.0];
    let signnet = SignNetConfig::new(K, K).init(2, &device);
    let graph = GraphTensors::new(&g, &device);
    let a = values(signnet.forward(tensor(&v, n, &device), &graph));
    let b = values(signnet.forward(tensor(&flip(&v, &signs), n, &device), &graph));
    assert!(
        relative(&a, &b) < 1e-7,
        "SignNet sign invariance error {}",
        relative(&a, &b)
    );
    // φ is a graph network: SignNet relabels with the nodes, and it reads the graph (the same
    // eigenvectors on another graph give other embeddings).
    let perm = Rng::new(5).permutation(n);
    let (pg, pv) = permute(&g, &v, &perm);
    let pout = values(signnet.forward(tensor(&pv, n, &device), &GraphTensors::new(&pg, &device)));
    let e = relative(&unpermute(&pout, &perm, K), &a);
    assert!(e < 1e-6, "SignNet permutation equivariance error {e}");
    let empty = GraphTensors::new(&Graph::new(n, std::iter::empty()), &device);
    let c = values(signnet.forward(tensor(&v, n, &device), &empty));
    assert!(relative(&a, &c) > 1e-3, "SignNet ignores the graph");
    let mlp = RowMlpConfig::new(K, K).init(2, &device);
    let a = values(mlp.forward(tensor(&v, n, &device)));
    let b = values(mlp.forward(tensor(&flip(&v, &signs), n, &device)));
    assert!(relative(&a, &b) > 1e-3, "the MLP is not sign invariant");
    assert!(
        relative(&b, &flip(&a, &signs)) > 1e-3,
        "nor sign equivariant"
    );
}

#[test]
fn the_gcn_is_permutation_equivariant() {
    let device = Device::flex();
    let (g, v) = setup(2);
    let gcn = GcnConfig::new(K).init(4, &device);
    let out = values(gcn.forward(&GraphTensors::new(&g, &device)));
    let perm = Rng::new(3).permutation(g.n);
    let (pg, _) = permute(&g, &v, &perm);
    let pout = values(gcn.forward(&GraphTensors::new(&pg, &device)));
    assert!(relative(&unpermute(&pout, &perm, K), &out) < 1e-6);
    assert_eq!(values(decode_only(tensor(&v, g.n, &device))), v);
}
