//! The sign-flip lab (SCIENCE.md §3), in progress: the link-prediction experiment on two copies
//! of a random graph, with SignDSS against SignNet, DecodeOnly, a GCN and a plain MLP. The page
//! view, the O(d) point-cloud task and the lab's share-link settings are still to come.

pub mod link;
