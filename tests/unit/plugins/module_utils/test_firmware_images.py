# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Firmware files: names, the documented header, the family checks and the plan."""

from __future__ import annotations

import zlib

import pytest

from ansible_collections.rackops.apc.plugins.module_utils import firmware as fw
from ansible_collections.rackops.apc.plugins.module_utils.device import SettingsError


def image_bytes(hw='05', module='aos', version='v6.9.6', payload=b'firmware' * 40, **override):
    """The layout as the module documentation describes it (written out here on purpose)."""
    fields = {'hw': hw, 'module': module, 'version': version, 'size': str(len(payload)),
              'crc32': '%08x' % (zlib.crc32(payload) & 0xFFFFFFFF)}
    fields.update(override)
    text = 'APCFW1 ' + ' '.join('%s=%s' % item for item in fields.items())
    return text.encode('ascii').ljust(128, b'\0') + payload


def test_a_good_image_is_read_from_its_name_and_header():
    image = fw.Image('/srv/fw/apc_hw05_aos_696.bin', image_bytes())
    assert (image.hw, image.key, image.module_name, image.version) == ('05', 'aos', 'aos', 'v6.9.6')
    app = fw.Image('/srv/fw/apc_hw05_rpdu2g_696.bin', image_bytes(module='rpdu2g'))
    assert app.key == 'app' and app.module_name == 'rpdu2g'


def test_without_the_header_the_name_gives_the_version():
    image = fw.Image('/x/apc_hw05_bootmon_109.bin', b'\x7fELF opaque', verify_header=False)
    assert image.version == 'v1.0.9' and image.header is None


@pytest.mark.parametrize('name, data, message', [
    ('aos-6.9.6.bin', image_bytes(), 'not an APC firmware file name'),
    ('apc_hw05_aos_696.bin', b'MZ' + b'\0' * 300, 'no firmware header'),
    ('apc_hw05_aos_696.bin', image_bytes(version='v6.9.5'), 'its header says version v6.9.5'),
    ('apc_hw05_aos_696.bin', image_bytes(hw='21'), 'its header says hw 21, its name 05'),
    ('apc_hw05_aos_696.bin', image_bytes(module='sumx'), 'its header says module sumx'),
    ('apc_hw05_aos_696.bin', image_bytes(size='7'), 'truncated or padded'),
    ('apc_hw05_aos_696.bin', image_bytes(crc32='00000000'), 'is damaged'),
    ('apc_hw05_aos_696.bin', image_bytes()[:100], 'no firmware header'),
])
def test_bad_files_are_refused_with_the_reason(name, data, message):
    with pytest.raises(SettingsError) as err:
        fw.Image('/srv/' + name, data)
    assert message in str(err.value)


def test_the_set_is_ordered_bootmon_aos_app_and_one_per_module():
    app = fw.Image('/a/apc_hw05_sumx_696.bin', image_bytes(module='sumx'))
    aos = fw.Image('/a/apc_hw05_aos_696.bin', image_bytes())
    boot = fw.Image('/a/apc_hw05_bootmon_109.bin', image_bytes(module='bootmon', version='v1.0.9'))
    assert [i.key for i in fw.check_set([app, aos, boot])] == ['bootmon', 'aos', 'app']
    with pytest.raises(SettingsError, match='two images for the aos module'):
        fw.check_set([aos, fw.Image('/b/apc_hw05_aos_695.bin', image_bytes(version='v6.9.5'))])
    with pytest.raises(SettingsError, match='different hardware'):
        fw.check_set([aos, fw.Image('/b/apc_hw21_sumx_696.bin', image_bytes(hw='21', module='sumx'))])


def test_fit_against_the_family_and_the_running_application():
    aos = fw.Image('/a/apc_hw05_aos_696.bin', image_bytes())
    sumx = fw.Image('/a/apc_hw05_sumx_696.bin', image_bytes(module='sumx'))
    fw.check_fit([aos, sumx], 'nmc2', 'sumx')
    with pytest.raises(SettingsError, match='holds the sumx application; this unit runs rpdu2g'):
        fw.check_fit([sumx], 'rpdu2g', 'rpdu2g')
    with pytest.raises(SettingsError, match='takes hw21'):
        fw.check_fit([aos], 'nmc3', 'sumx')
    with pytest.raises(SettingsError, match='cannot be checked'):
        fw.check_fit([aos], 'smart', None)
    # a menu console does not name its application module: the family's is used
    rpdu = fw.Image('/a/apc_hw02_rpdu_392.bin', image_bytes(hw='02', module='rpdu', version='v3.9.2'))
    fw.check_fit([rpdu], 'rpdu_menu', None)


def test_plan_skips_modules_at_their_target():
    images = fw.check_set([fw.Image('/a/apc_hw05_aos_696.bin', image_bytes()),
                           fw.Image('/a/apc_hw05_bootmon_109.bin', image_bytes(module='bootmon', version='v1.0.9'))])
    running = {'bootmon': 'v1.0.9', 'aos': 'v6.8.0', 'app': 'v6.8.0'}
    steps = fw.plan(images, running)
    assert [(s['module'], s['send']) for s in steps] == [('bootmon', False), ('aos', True)]
    assert [s['send'] for s in fw.plan(images, running, force=True)] == [True, True]
    assert fw.same_version('6.9.6', 'v6.9.6') and not fw.same_version(None, 'v6.9.6')
