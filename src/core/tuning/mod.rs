//! Finding the settings that work: grids of runs over the learning rate and a second
//! parameter, fastai's range test ([`sweep`]), and the Bayesian learning-rate search ([`bayes`]).

pub mod bayes;
pub mod sweep;
