//! A module's trained parameters as bytes and back: Burn's record (`Module::into_record`) in
//! its burnpack format. Loading checks every parameter's path and shape, so the weights of
//! another architecture are refused rather than half-applied.

use burn::module::Module;
use burn::store::ModuleRecord;
use burn::tensor::Bytes;

/// The parameters of `module` as a burnpack byte buffer.
pub fn module_to_bytes<M: Module>(module: &M) -> Result<Vec<u8>, String> {
    module
        .clone()
        .into_record()
        .into_bytes()
        .map(|b| b.to_vec())
        .map_err(|e| e.to_string())
}

/// `module` with the parameters of `bytes` (written by [`module_to_bytes`] for a module of
/// the same architecture); an error names what did not fit.
pub fn module_from_bytes<M: Module>(module: M, bytes: &[u8]) -> Result<M, String> {
    let record = ModuleRecord::from_bytes(Bytes::from_bytes_vec(bytes.to_vec()))
        .map_err(|e| e.to_string())?;
    module.try_load_record(record).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MlpConfig;
    use burn::tensor::{Device, Tensor};

    #[test]
    fn an_mlp_round_trips_and_a_wrong_shape_is_refused() {
        let device = Device::flex();
        let a = MlpConfig::new(64, 10).with_hidden(16).init(1, &device);
        let b = MlpConfig::new(64, 10).with_hidden(16).init(2, &device);
        let x = Tensor::<2>::ones([3, 64], &device);
        let bytes = module_to_bytes(&a).unwrap();
        let loaded = module_from_bytes(b, &bytes).unwrap();
        let diff = (a.forward(x.clone()) - loaded.forward(x)).abs().max();
        let diff = pollster::block_on(diff.into_scalar_async::<f32>()).unwrap();
        assert_eq!(diff, 0.0);
        let wide = MlpConfig::new(64, 10).with_hidden(32).init(1, &device);
        let err = module_from_bytes(wide, &bytes).unwrap_err();
        assert!(!err.is_empty());
        assert!(module_from_bytes(a, b"not a record").is_err());
    }
}
