//! What a peer gets once a transport has accepted it: one file per behaviour.
//!
//! The transports (`tcp/`, `udp/`) bind, accept, frame and shut down; a mode only turns
//! received frames or datagrams into replies and output lines, and never touches sockets.

pub mod seed;
